using Microsoft.CodeAnalysis;
using Seeding.Generators.Diagnostics;

namespace Seeding.Generators.Tests;

/// <summary>
/// Messages that point the right way: a duplicate migration number on the migration that should move (the one not in
/// seeding.lock.json), "did you mean" for a misspelt key, and SEED033 saying what the lock file means. Each asserts the
/// file, the line and the wording.
/// </summary>
public sealed class MessageTests
{
    private const string Yaml = "create: roles\ndocuments: []\n";
    private const string Existing = "migrations/pre/0001_initial_roles.yaml";
    private const string Newcomer = "migrations/pre/0001_add_admins.yaml";

    /// <summary>The checksum of <see cref="Yaml"/>, under any migration name, so the locked files are unchanged.</summary>
    private static readonly Lazy<string> YamlChecksum = new(() => SeedLanguageTests.Registry(GeneratorHarness.Run((Existing, Yaml)).AssertClean()).Seeds.Single().Checksum);

    private static string Lock(params string[] keys) =>
        "{\"version\": 1, \"migrations\": {" + string.Join(", ", keys.Select(k => $"\"{k}\": \"{YamlChecksum.Value}\"")) + "}}";

    [Fact]
    public void A_duplicate_number_is_reported_on_the_migration_not_in_the_lock_file()
    {
        var run = GeneratorHarness.Run((Existing, Yaml), (Newcomer, Yaml), ("migrations/pre/0002_plans.yaml", Yaml), ("seeding.lock.json", Lock("pre/0001_initial_roles")));
        var diagnostic = DiagnosticTests.AssertReported(run, "SEED012", Newcomer, 1, 1);
        Assert.Equal(
            "Migration number 0001 in migrations/pre is used by both '0001_add_admins' and '0001_initial_roles'. "
            + "'0001_initial_roles' is locked in seeding.lock.json, so renumber this one: give it the next free number, 0003.",
            diagnostic.GetMessage());
        Assert.Single(run.Diagnostics);
    }

    [Fact]
    public void A_duplicate_number_is_reported_on_the_migration_not_in_the_lock_file_whichever_sorts_first()
    {
        var run = GeneratorHarness.Run((Existing, Yaml), (Newcomer, Yaml), ("seeding.lock.json", Lock("pre/0001_add_admins")));
        var diagnostic = DiagnosticTests.AssertReported(run, "SEED012", Existing, 1, 1);
        Assert.EndsWith("'0001_add_admins' is locked in seeding.lock.json, so renumber this one: give it the next free number, 0002.", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Single(run.Diagnostics);
    }

    [Fact]
    public void A_duplicate_number_with_no_lock_file_is_reported_on_both()
    {
        var run = GeneratorHarness.Run((Existing, Yaml), (Newcomer, Yaml), ("migrations/post/0001_c.yaml", Yaml));
        var reported = run.Diagnostics.Where(d => d.Id == "SEED012").ToList();
        Assert.Equal(
            [GeneratorHarness.PathOf(Newcomer), GeneratorHarness.PathOf(Existing)],
            reported.Select(d => d.Location.GetLineSpan().Path));
        Assert.All(reported, d => Assert.Equal(0, d.Location.GetLineSpan().StartLinePosition.Line));
        Assert.All(reported, d => Assert.Equal(
            "Migration number 0001 in migrations/pre is used by both '0001_add_admins' and '0001_initial_roles'. "
            + "None of them is locked in seeding.lock.json yet: give the newer one the next free number, 0002.",
            d.GetMessage()));
        Assert.Equal(2, run.Diagnostics.Count);
    }

    [Fact]
    public void A_duplicate_number_locked_on_both_sides_is_reported_on_both()
    {
        var run = GeneratorHarness.Run((Existing, Yaml), (Newcomer, Yaml), ("seeding.lock.json", Lock("pre/0001_initial_roles", "pre/0001_add_admins")));
        var reported = run.Diagnostics.Where(d => d.Id == "SEED012").ToList();
        Assert.Equal(2, reported.Count);
        Assert.Equal(2, run.Diagnostics.Count);
        var diagnostic = DiagnosticTests.AssertReported(run, "SEED012", Newcomer, 1, 1);
        Assert.EndsWith("All of them are locked in seeding.lock.json: give the one not applied in every environment the next free number, 0002 (it then runs there again under its new name), and lock again.",
            diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_csharp_migration_taking_a_locked_yaml_number_is_reported_at_its_attribute_only()
    {
        const string Code = "using System.Threading; using System.Threading.Tasks; using Seeding.Definitions; using Seeding.Running;\nnamespace Acme.Users;\n"
            + "[Migration(\"0001_consents\", SeedPhase.Pre)] public sealed class M : IMigration { public Task ApplyAsync(MigrationContext c, CancellationToken t) => Task.CompletedTask; }\n";
        var run = GeneratorHarness.RunWithCode(Code, (Existing, Yaml), ("seeding.lock.json", Lock("pre/0001_initial_roles")));
        var diagnostic = Assert.Single(run.Diagnostics);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(("SEED012", GeneratorHarness.ProjectDir + "Program.cs", 3), (diagnostic.Id, span.Path, span.StartLinePosition.Line + 1));
        Assert.Equal(
            "Migration number 0001 in migrations/pre is used by both '0001_initial_roles' and '0001_consents'. "
            + "'0001_initial_roles' is locked in seeding.lock.json, so renumber this one: give it the next free number, 0002.",
            diagnostic.GetMessage());
    }

    public static TheoryData<string, string, int, int, string> Misspellings => new()
    {
        // A file's keys (30 of them): the suggestion, not the list.
        { "migrations/pre/0001_a.yaml", "create: roles\ndocumnets:\n  - { id: a }\n", 2, 1, "Unknown key 'documnets' in the file. Did you mean 'documents'?" },
        { "migrations/pre/0001_a.yaml", "create: roles\ndescripton: x\ndocuments: []\n", 2, 1, "Unknown key 'descripton' in the file. Did you mean 'description'?" },
        { "migrations/pre/0001_a.yaml", "create: roles\nDocuments: []\n", 2, 1, "Unknown key 'Documents' in the file. Did you mean 'documents'?" },
        { "migrations/pre/0001_a.yaml", "upsert: roles\nnew-id: x\ndocuments: []\n", 2, 1, "Did you mean 'new_id'?" },
        // A step's keys.
        { "migrations/pre/0001_a.yaml", "steps:\n  - create: roles\n    documets: []\n", 3, 5, "Unknown key 'documets' in a step. Did you mean 'documents'?" },
        // A resource step's keys, dead_letter: and a field index.
        { "migrations/pre/0001_a.yaml", "topic: t-one\nlabes: { a: b }\n", 2, 1, "Unknown key 'labes' in the file. Did you mean 'labels'?" },
        { "migrations/pre/0001_a.yaml", "steps:\n  - topic: t-one\n    labes: { a: b }\n", 3, 5, "Unknown key 'labes' in a step. Did you mean 'labels'?" },
        { "migrations/pre/0001_a.yaml", "steps:\n  - topic: t-one\n  - subscription: s-one\n    topic: t-one\n    dead_letter: { topic: t-one, max_delivery_atempts: 5 }\n", 5, 34,
            "Unknown key 'max_delivery_atempts' in 'dead_letter:'. Did you mean 'max_delivery_attempts'?" },
        { "migrations/pre/0001_a.yaml", "field_override: sessions\nfield: expires_at\nindexes: [{ ordr: ascending }]\n", 3, 13, "Unknown key 'ordr' in a field index. Did you mean 'order'?" },
        // seeding.yaml.
        { "seeding.yaml", "servce: user\n", 1, 1, "Unknown key 'servce' in seeding.yaml. Did you mean 'service'?" },
        { "seeding.yaml", "dependson: [a]\n", 1, 1, "Unknown key 'dependson' in seeding.yaml. Did you mean 'depends_on'?" },
        // Nothing close: the allowed keys.
        { "seeding.yaml", "owner: team-a\n", 1, 1, "Unknown key 'owner' in seeding.yaml. Allowed keys: service, depends_on, namespace, environments." },
        { "migrations/pre/0001_a.yaml", "topic: t-one\nack_deadline: 10s\n", 2, 1, "Unknown key 'ack_deadline' in a topic step. Allowed keys: topic, labels, message_retention, description, when, environments." },
    };

    [Theory]
    [MemberData(nameof(Misspellings))]
    public void A_misspelt_key_gets_a_suggestion(string path, string yaml, int line, int column, string message)
    {
        var files = path == "seeding.yaml" ? new[] { (path, yaml), ("migrations/pre/0001_a.yaml", Yaml) } : new[] { (path, yaml) };
        var diagnostic = DiagnosticTests.AssertReported(GeneratorHarness.Run(files), "SEED004", path, line, column);
        Assert.Contains(message, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("documents", "documents", 0)]
    [InlineData("documnets", "documents", 1)]
    [InlineData("docments", "documents", 1)]
    [InlineData("when", "where", 2)]
    [InlineData("abc", "", 3)]
    [InlineData("ca", "abc", 3)]
    public void The_edit_distance_counts_a_swap_as_one_edit(string a, string b, int distance) =>
        Assert.Equal(distance, KeySuggestion.Distance(a, b));

    [Theory]
    [InlineData("wen", "when")]
    [InlineData("were", "where")]
    [InlineData("key", "key")]
    [InlineData("retention", "message_retention")]
    [InlineData("colour", "")]
    [InlineData("id", "")]
    public void Short_keys_need_a_closer_match(string typed, string expected) =>
        Assert.Equal(expected, string.Join(",", KeySuggestion.Closest(typed, ["when", "where", "key", "message_retention", "documents"])));

    [Fact]
    public void A_changed_locked_migration_says_what_the_lock_file_means_and_both_ways_out()
    {
        const string Roles = SeedSamples.InitialRolesPath;
        var locked = "{\"version\": 1, \"migrations\": {\"pre/0001_initial_roles\": \"sha256:" + new string('0', 64) + "\"}}";
        var diagnostic = DiagnosticTests.AssertReported(GeneratorHarness.Run((Roles, SeedSamples.InitialRoles), ("seeding.lock.json", locked)), "SEED033", Roles, 1, 1);
        var message = diagnostic.GetMessage();
        Assert.StartsWith($"Migration 'pre/0001_initial_roles' is locked in seeding.lock.json with checksum sha256:{new string('0', 64)}, but its content now has checksum sha256:", message, StringComparison.Ordinal);
        Assert.EndsWith(". Undo the change and add a new migration (the next number) instead; only if this migration has been applied in no environment, remove its entry from seeding.lock.json.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("has been applied)", message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }
}
