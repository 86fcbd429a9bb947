using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>The seed format that <c>seeding pull</c> writes: documents by id, <c>exact_types: true</c> and <c>!ref:external</c>.</summary>
public sealed class PullFormatTests
{
    [Fact]
    public void Documents_by_id_store_no_id_field_and_take_defaults()
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_plans.yaml", """
            create: plans
            defaults: { currency: EUR }
            documents:
              free: { price: 0 }
              "yes":
                price: 5
                currency: USD
              "10": {}
            """)).AssertClean();

        var documents = Assert.Single(SeedLanguageTests.Definition(run, "Pre0001Plans").Steps).Documents;
        Assert.Equal(["free", "yes", "10"], documents.Select(d => d.Id));
        Assert.Equal(Value.Map(new Dictionary<string, Value> { ["price"] = Value.Integer(0), ["currency"] = Value.String("EUR") }), Value.Map(documents[0].Fields));
        Assert.Equal(Value.Map(new Dictionary<string, Value> { ["price"] = Value.Integer(5), ["currency"] = Value.String("USD") }), Value.Map(documents[1].Fields));
        Assert.Equal(Value.Map(new Dictionary<string, Value> { ["currency"] = Value.String("EUR") }), Value.Map(documents[2].Fields));
    }

    [Theory]
    [InlineData("key: code\n")]
    [InlineData("match: [code]\nnew_id: p-{hex:8}\n")]
    public void Documents_by_id_do_not_go_with_key_or_match(string extra)
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_plans.yaml", "create: plans\n" + extra + "documents:\n  free: { code: f }\n"));

        Assert.Contains(run.Diagnostics, d => d.Id == "SEED022" && d.GetMessage().Contains("mapping by id", StringComparison.Ordinal));
    }

    [Fact]
    public void Exact_types_keep_integers_beside_doubles_and_mixed_kinds_without_a_conflict()
    {
        const string Documents = """
            create: counters
            documents:
              a: { n: 1, mixed: 1, list: [1, 2] }
              b: { n: 1.0, mixed: text, list: [1.5] }
            """;
        Assert.Contains(GeneratorHarness.Run(("migrations/pre/0001_counters.yaml", Documents)).Diagnostics, d => d.Id == "SEED014");

        var run = GeneratorHarness.Run(("migrations/pre/0001_counters.yaml", "exact_types: true\n" + Documents)).AssertClean();

        var documents = Assert.Single(SeedLanguageTests.Definition(run, "Pre0001Counters").Steps).Documents;
        Assert.Equal(Value.Integer(1), documents[0].Fields["n"]);
        Assert.Equal(Value.Double(1), documents[1].Fields["n"]);
        Assert.Equal(Value.Integer(1), documents[0].Fields["mixed"]);
        Assert.Equal(Value.String("text"), documents[1].Fields["mixed"]);
        Assert.Equal(Value.Array(Value.Integer(1), Value.Integer(2)), documents[0].Fields["list"]);
        Assert.Equal(Value.Array(Value.Double(1.5)), documents[1].Fields["list"]);
    }

    [Theory]
    [InlineData("exact_types: yes\n")]
    [InlineData("exact_types: [true]\n")]
    public void Exact_types_takes_true_or_false(string line)
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_counters.yaml", line + "create: counters\ndocuments:\n  a: {}\n"));

        Assert.Contains(run.Diagnostics, d => d.Id == "SEED003" && d.GetMessage().Contains("exact_types", StringComparison.Ordinal));
    }

    [Fact]
    public void An_external_reference_is_a_reference_that_SEED032_leaves_alone()
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_tenants.yaml", """
            create: tenants
            documents:
              t1: { owner: !ref:external users/u-17, owners: [!ref:external "users/x #1"] }
            """)).AssertClean();

        var document = Assert.Single(Assert.Single(SeedLanguageTests.Definition(run, "Pre0001Tenants").Steps).Documents);
        Assert.Equal(Value.Reference(DocumentPath.Parse("users/u-17")), document.Fields["owner"]);
        Assert.Equal(Value.Array(Value.Reference(DocumentPath.Parse("users/x #1"))), document.Fields["owners"]);
        Assert.Contains(GeneratorHarness.Run(("migrations/pre/0001_tenants.yaml", "create: tenants\ndocuments:\n  t1: { owner: !ref users/u-17 }\n")).Diagnostics, d => d.Id == "SEED032");
        Assert.Contains(GeneratorHarness.Run(("migrations/pre/0001_tenants.yaml", "create: tenants\ndocuments:\n  t1: { owner: !ref:external users }\n")).Diagnostics, d => d.Id == "SEED007");
    }

    [Fact]
    public void The_writer_writes_a_document_by_id_with_external_references()
    {
        var fields = new Dictionary<string, Value>
        {
            ["owner"] = Value.Reference(DocumentPath.Parse("users/u1")),
            ["team"] = Value.Map(new Dictionary<string, Value> { ["lead"] = Value.Reference(DocumentPath.Parse("plans/free")) }),
        };

        Assert.Equal(
            "  \"yes\":\n    owner: !ref:external users/u1\n    team:\n      lead: !ref plans/free\n",
            SeedYamlWriter.DocumentEntry("yes", fields, 2, path => path.Collection == "plans"));
        Assert.Equal("  free: {}\n", SeedYamlWriter.DocumentEntry("free", new Dictionary<string, Value>(), 2));
    }
}
