using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>
/// The YAML writer (seeding show, and seed files written from stored data) against the generator's own reader: what it
/// writes compiles cleanly and reads back as the very same values.
/// </summary>
public sealed class SeedYamlWriterTests
{
    private static readonly string[] AwkwardStrings =
    [
        "null", "Null", "~", "", "yes", "No", "on", "OFF", "y", "true", "False", "0x10", "0o17", "010", "-5", "+5", "1e3", ".5", ".inf", "-.inf", ".nan",
        "2024-05-01", "12:30", "a: b", "a:b", "# not a comment", "x #y", "- dash", "? key", "!bang", "*star", "&anchor", "%directive", "@at", "`tick",
        "[list]", "{map}", "'single'", "\"double\"", "x, y", "|block", ">folded", "line\nbreak", "tab\there", "cr\rhere", "nul\0byte", "back\\slash",
        "  padded  ", "trailing ", "Zürich", "\u202Egnp.exe", "zero\u200Bwidth", "bom\uFEFF", "line\u2028sep", "plain text/with.dots@example-1_2",
    ];

    private static Dictionary<string, Value> Fields() => new(StringComparer.Ordinal)
    {
        ["id"] = Value.String("doc-1"),
        ["name"] = Value.String("Platform Admin"),
        ["count"] = Value.Integer(42),
        ["big"] = Value.Integer(long.MaxValue),
        ["small"] = Value.Integer(long.MinValue),
        ["ratio"] = Value.Double(891),
        ["negative_zero"] = Value.Double(-0.0),
        ["tiny"] = Value.Double(1.5e-7),
        ["huge"] = Value.Double(1e300),
        ["tenth"] = Value.Double(0.1),
        ["not_a_number"] = Value.Double(double.NaN),
        ["up"] = Value.Double(double.PositiveInfinity),
        ["down"] = Value.Double(double.NegativeInfinity),
        ["yes_no"] = Value.Boolean(true),
        ["off"] = Value.Boolean(false),
        ["nothing"] = Value.Null,
        ["founded"] = Value.Timestamp(Timestamp.Parse("0899-12-31T23:59:59.999999Z")),
        ["owner"] = Value.Reference(DocumentPath.Parse("tenants/t1/users/u-1")),
        ["odd_ref"] = Value.Reference(DocumentPath.Parse("roles/123 #x")),
        ["place"] = Value.GeoPoint(new GeoPoint(52.52, -13.4)),
        ["whole_place"] = Value.GeoPoint(new GeoPoint(0, 180)),
        ["logo"] = Value.Bytes("hello"u8),
        ["no_bytes"] = Value.Bytes([]),
        ["awkward"] = Value.Array(AwkwardStrings.Select(Value.String)),
        ["mixed"] = Value.Array(Value.Integer(1), Value.Double(2), Value.Null, Value.Boolean(false), Value.String("x, y"),
            Value.Timestamp(Timestamp.Parse("2024-05-01T12:00:00Z")), Value.Reference(DocumentPath.Parse("roles/a")), Value.GeoPoint(new GeoPoint(1, 2))),
        ["empty_list"] = Value.Array(),
        ["empty_map"] = Value.Map([]),
        ["address"] = Value.Map(new Dictionary<string, Value>
        {
            ["street"] = Value.String("Unter den Linden"),
            ["number"] = Value.Integer(1),
            ["inner"] = Value.Map(new Dictionary<string, Value> { ["deep"] = Value.String("null"), ["list"] = Value.Array(Value.Map(new Dictionary<string, Value> { ["k"] = Value.Integer(1) })) }),
        }),
        ["items"] = Value.Array(
            Value.Map(new Dictionary<string, Value> { ["sku"] = Value.String("a-1"), ["qty"] = Value.Integer(2), ["tags"] = Value.Array(Value.String("yes")) }),
            Value.Map([]),
            Value.String("loose")),
        ["quoted key: yes"] = Value.String("value"),
        ["2nd"] = Value.Integer(2),
    };

    [Fact]
    public void A_written_document_compiles_and_reads_back_as_the_same_values()
    {
        var fields = Fields();
        var yaml = "upsert: things\ndocuments:\n" + SeedYamlWriter.SequenceItem(fields, indent: 2);

        var run = Compile(yaml);

        var document = Assert.Single(Assert.Single(SeedLanguageTests.Definition(run, "Pre0001Things").Steps).Documents);
        Assert.Equal("doc-1", document.Id);
        foreach (var (key, value) in fields)
        {
            Assert.True(document.Fields.TryGetValue(key, out var read), $"'{key}' is missing after the round trip:\n{yaml}");
            Assert.True(value.Equals(read), $"'{key}': wrote {value}, read back {read}\n{yaml}");
        }

        Assert.Equal(fields.Count, document.Fields.Count);
    }

    [Fact]
    public void A_mapping_reads_back_as_the_same_values_as_a_document_of_its_own()
    {
        var fields = Fields();
        var yaml = "upsert: things\ndocuments:\n  -\n" + SeedYamlWriter.Mapping(fields, indent: 4);

        var run = Compile(yaml);

        var document = Assert.Single(Assert.Single(SeedLanguageTests.Definition(run, "Pre0001Things").Steps).Documents);
        Assert.Equal(fields.OrderBy(f => f.Key, StringComparer.Ordinal), document.Fields.OrderBy(f => f.Key, StringComparer.Ordinal));
    }

    // The references point at documents this project does not seed: SEED032 warns of that, and nothing else may be said.
    private static GeneratorRun Compile(string yaml)
    {
        var run = GeneratorHarness.Run(("migrations/pre/0001_things.yaml", yaml));
        Assert.Null(run.Result.Exception);
        Assert.True(run.Diagnostics.All(d => d.Id == "SEED032"), string.Join("\n", run.Diagnostics) + "\n" + yaml);
        Assert.Empty(run.CompilerProblems.Select(d => d.ToString()));
        return run;
    }

    [Fact]
    public void Tags_numbers_and_quoting_follow_the_seed_format()
    {
        Assert.Equal("891.0", SeedYamlWriter.Inline(Value.Double(891)));
        Assert.Equal("-0.0", SeedYamlWriter.Inline(Value.Double(-0.0)));
        Assert.Equal("1E+300", SeedYamlWriter.Inline(Value.Double(1e300)));
        Assert.Equal(".nan", SeedYamlWriter.Inline(Value.Double(double.NaN)));
        Assert.Equal("-.inf", SeedYamlWriter.Inline(Value.Double(double.NegativeInfinity)));
        Assert.Equal("891", SeedYamlWriter.Inline(Value.Integer(891)));
        Assert.Equal("!timestamp 2024-05-01T12:00:00.000000Z", SeedYamlWriter.Inline(Value.Timestamp(Timestamp.Parse("2024-05-01T14:00:00+02:00"))));
        Assert.Equal("!now", SeedYamlWriter.Inline(Value.ServerTimestamp));
        Assert.Equal("!ref roles/admin", SeedYamlWriter.Inline(Value.Reference(DocumentPath.Parse("roles/admin"))));
        Assert.Equal("!ref \"roles/x#1\"", SeedYamlWriter.Inline(Value.Reference(DocumentPath.Parse("roles/x#1"))));
        Assert.Equal("!geo [52.52, 13.0]", SeedYamlWriter.Inline(Value.GeoPoint(new GeoPoint(52.52, 13))));
        Assert.Equal("!bytes aGVsbG8=", SeedYamlWriter.Inline(Value.Bytes("hello"u8)));
        Assert.Equal("{a: 1, b: [x, \"yes\"]}", SeedYamlWriter.Inline(Value.Map(new Dictionary<string, Value> { ["b"] = Value.Array(Value.String("x"), Value.String("yes")), ["a"] = Value.Integer(1) })));

        Assert.Equal("Platform Admin", SeedYamlWriter.Scalar("Platform Admin"));
        Assert.Equal("ops@example.com", SeedYamlWriter.Scalar("ops@example.com"));
        foreach (var text in new[] { "null", "Yes", "off", "42", "4.5", "2024-05-01", "a: b", "#x", "", " x", "x ", "-x", "x,y" })
        {
            Assert.StartsWith("\"", SeedYamlWriter.Scalar(text), StringComparison.Ordinal);
        }

        Assert.Equal("\"a\\nb\\t\\\"c\\\"\\\\\\u202E\"", SeedYamlWriter.Scalar("a\nb\t\"c\"\\\u202E"));
    }

    [Fact]
    public void Fields_are_written_id_first_then_in_ordinal_order_as_block_yaml()
    {
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["name"] = Value.String("Admin"),
            ["address"] = Value.Map(new Dictionary<string, Value> { ["city"] = Value.String("Berlin") }),
            ["id"] = Value.String("admin"),
            ["items"] = Value.Array(Value.Map(new Dictionary<string, Value> { ["sku"] = Value.String("a"), ["qty"] = Value.Integer(1) })),
            ["tags"] = Value.Array(Value.String("a"), Value.String("b")),
        };

        Assert.Equal(
            "  - id: admin\n    address:\n      city: Berlin\n    items:\n      - qty: 1\n        sku: a\n    name: Admin\n    tags: [a, b]\n",
            SeedYamlWriter.SequenceItem(fields, indent: 2));
        Assert.Equal("id: admin\naddress:\n  city: Berlin\n", SeedYamlWriter.Mapping(new Dictionary<string, Value> { ["address"] = fields["address"], ["id"] = fields["id"] }));
        Assert.Equal("{}\n", SeedYamlWriter.Mapping(new Dictionary<string, Value>()));
    }
}
