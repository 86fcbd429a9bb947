using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>
/// Firestore's naming rules, new_id patterns and timestamp parsing are written once in src/Seeding and compiled into
/// the generator as linked sources. These tests drive that one implementation from both ends: through the generator's
/// diagnostics and through the runtime's public API, which must agree on every input.
/// </summary>
public sealed class SharedRuleTests
{
    public static TheoryData<string, bool> Ids => new()
    {
        { "a", true }, { "platform-admin", true }, { "müller", true }, { "😀", true }, { "...", true }, { "__", true }, { "____", true },
        { "__a", true }, { "a__", true }, { "_a_", true }, { new string('a', 1500), true }, { new string('é', 750), true },
        { "a/b", false }, { ".", false }, { "..", false }, { "__a__", false }, { new string('a', 1501), false }, { new string('é', 751), false },
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_generator_and_the_runtime_accept_the_same_document_ids(string id, bool valid)
    {
        var yaml = $"create: roles\ndocuments:\n  - id: \"{id}\"\n    name: x\n";
        var compiles = !GeneratorHarness.Run(("migrations/pre/0001_ids.yaml", yaml)).Diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal(valid, compiles);
        Assert.Equal(valid, Accepts(() => DocumentPath.Create("roles", id)));
    }

    [Theory]
    [InlineData("roles", true)]
    [InlineData("tenants/t1/users", true)]
    [InlineData("roles/admin", false)]
    [InlineData("a//b", false)]
    [InlineData("__x__", false)]
    public void The_runtime_checks_collection_paths_by_the_shared_rule(string path, bool valid) =>
        Assert.Equal(valid, Accepts(() => DocumentPath.ValidateCollectionPath(path)));

    [Theory]
    [InlineData("user", true)]
    [InlineData("User.Seeds", true)]
    [InlineData("9lives_v2-x", true)]
    [InlineData("-user", false)]
    [InlineData("my service", false)]
    [InlineData("müller", false)]
    public void The_generator_and_seeding_init_accept_the_same_service_names(string name, bool valid)
    {
        var diagnostics = GeneratorHarness.Run(("seeding.yaml", $"service: \"{name}\"\n"), ("migrations/pre/0001_a.yaml", "create: roles\ndocuments:\n  - { id: a }\n")).Diagnostics;
        Assert.Equal(valid, !diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        Assert.Equal(valid, RuntimeServiceNameRule(name));
    }

    // This project sees the generator's internal copy of the linked rule and the runtime's public one under one name
    // (CS0433), so the runtime's is called through its assembly.
    private static bool RuntimeServiceNameRule(string name) =>
        (bool)typeof(SeedDefinition).Assembly.GetType("Seeding.Definitions.ServiceNameRule", throwOnError: true)!
            .GetMethod("IsValid")!.Invoke(null, [name])!;

    /// <summary>Firestore stores names as UTF-8, which cannot hold half a surrogate pair (not a theory: test case names cannot carry one).</summary>
    [Fact]
    public void Ids_with_a_lone_surrogate_are_rejected_and_surrogate_pairs_accepted()
    {
        foreach (var name in new[] { "lone\uD800", "\uDC00x", "ab\uDE00\uD83D" })
        {
            var id = Assert.Throws<ArgumentException>(() => DocumentPath.Create("roles", name));
            Assert.Contains("lone UTF-16 surrogate", id.Message, StringComparison.Ordinal);
            Assert.False(Accepts(() => DocumentPath.ValidateCollectionPath(name)));
        }

        Assert.True(Accepts(() => DocumentPath.Create("roles", "pair\uD83D\uDE00")));
    }

    [Theory]
    [InlineData("user-{hex:8}", true)]
    [InlineData("{hash:12}", true)]
    [InlineData("user", false)]
    [InlineData("user-{hex:3}", false)]
    [InlineData("user-{hash:65}", false)]
    [InlineData("user-{hex:8}-{id}", false)]
    [InlineData("a/{hex:8}", false)]
    [InlineData("__{hash:8}__", false)]
    public void The_generator_and_the_runtime_accept_the_same_new_id_patterns(string pattern, bool valid)
    {
        var yaml = $"create: users\nmatch: [email]\nnew_id: \"{pattern}\"\ndocuments:\n  - email: a@example.com\n";
        var compiles = !GeneratorHarness.Run(("migrations/pre/0001_users.yaml", yaml)).Diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal(valid, compiles);
        Assert.Equal(valid, Accepts(() => SeedStep.CreateMatching("users", 1, [], ["email"], pattern)));
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00Z", 1714564800000000L)]
    [InlineData("2024-05-01T12:00:00.123456Z", 1714564800123456L)]
    [InlineData("2024-05-01T12:00:00.1234567+02:00", 1714557600123456L)]
    [InlineData("2024-02-29T23:59:59-05:30", 1709270999000000L)]
    [InlineData("1970-01-01T00:00:00Z", 0L)]
    [InlineData("1969-12-31T23:59:59.9999999Z", -1L)]
    [InlineData(" 2024-05-01T12:00:00z ", 1714564800000000L)]
    public void Timestamps_parse_to_one_instant(string text, long micros) =>
        Assert.Equal(micros, Timestamp.Parse(text).UnixMicroseconds);

    [Theory]
    [InlineData("2024-05-01T12:00:00")]
    [InlineData("2024-05-01")]
    [InlineData("2024-05-01 12:00:00Z")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-02-30T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("tomorrow")]
    public void Invalid_timestamps_are_rejected_by_the_generator_and_the_runtime(string text)
    {
        Assert.False(Timestamp.TryParse(text, out _));
        var yaml = $"create: events\ndocuments:\n  - id: e1\n    at: !timestamp \"{text}\"\n";
        Assert.Contains(GeneratorHarness.Run(("migrations/pre/0001_events.yaml", yaml)).Diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    private static bool Accepts(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return false;
        }
    }
}
