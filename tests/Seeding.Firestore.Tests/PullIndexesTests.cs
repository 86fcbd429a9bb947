extern alias fake;
using fake::Seeding.Firestore.TestSupport;
using Seeding.Cli;
using Admin = fake::Seeding.Firestore.Protocol.Admin;
using static Seeding.Firestore.Tests.IndexAdminTests;

namespace Seeding.Firestore.Tests;

/// <summary>
/// <c>seeding pull --indexes</c> through the Firestore Admin API (the in-process fake, reached as the CLI reaches it:
/// <c>Seeding__Firestore__AdminEndpoint</c>): every collection group's composite indexes (ListIndexes over
/// <c>collectionGroups/-</c>) and overridden fields (ListFields with the overridden-fields filter), written as index and
/// field_override steps; inherited indexes and a TTL that is off left out; what a declaration cannot say left out with a note.
/// </summary>
public sealed class PullIndexesTests : IDisposable
{
    private const string Project = "demo-pull-indexes";
    private const string Database = $"projects/{Project}/databases/(default)";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "seeding-pull-indexes", Guid.NewGuid().ToString("N"));

    public PullIndexesTests()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "seeding.yaml"), "service: pulled\ndepends_on: []\n");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Indexes_and_overridden_fields_of_every_collection_group_become_steps_with_defaults_left_out()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        Seed(fake, $"{Database}/collectionGroups/users", Admin.Index.Types.QueryScope.Collection, Admin.Index.Types.State.Ready, Asc("tenant_id"), Asc("email"));
        Seed(fake, $"{Database}/collectionGroups/members", Admin.Index.Types.QueryScope.CollectionGroup, Admin.Index.Types.State.Creating, Contains("roles"), Desc("joined_at"));
        Seed(fake, $"{Database}/collectionGroups/orders", Admin.Index.Types.QueryScope.Collection, Admin.Index.Types.State.NeedsRepair, Desc("score"), Asc("name"));
        Seed(fake, $"{Database}/collectionGroups/orders", Admin.Index.Types.QueryScope.CollectionRecursive, Admin.Index.Types.State.Ready, Asc("a"), Asc("b"));
        lock (fake.State.Gate)
        {
            // A TTL policy alone: the field keeps the indexes it inherits, which are not written.
            fake.State.Fields[$"{Database}/collectionGroups/sessions/fields/expires_at"] = new Admin.Field
            {
                Name = $"{Database}/collectionGroups/sessions/fields/expires_at",
                TtlConfig = new Admin.Field.Types.TtlConfig { State = Admin.Field.Types.TtlConfig.Types.State.Active },
            };
            fake.State.Fields[$"{Database}/collectionGroups/members/fields/`e-mail`"] = Field($"{Database}/collectionGroups/members/fields/`e-mail`",
                (Asc("`e-mail`"), Admin.Index.Types.QueryScope.Collection), (Desc("`e-mail`"), Admin.Index.Types.QueryScope.CollectionGroup));
            // Single-field indexes turned off.
            fake.State.Fields[$"{Database}/collectionGroups/events/fields/payload"] = Field($"{Database}/collectionGroups/events/fields/payload");
            // The database-wide default is not a field override.
            fake.State.Fields[$"{Database}/collectionGroups/__default__/fields/*"] = Field($"{Database}/collectionGroups/__default__/fields/*",
                (Asc("*"), Admin.Index.Types.QueryScope.Collection));
            fake.State.PageSize = 2;
        }

        var (code, output, error) = await RunAsync(fake, "pull", "--indexes", "--into", "migrations/pre/0001_indexes.yaml");

        Assert.True(code == ExitCodes.Ok, $"exit {code}\n{output}\n{error}");
        Assert.StartsWith("Wrote migrations/pre/0001_indexes.yaml: 2 indexes, 3 field overrides from firestore-emulator:", output, StringComparison.Ordinal);
        var notes = error.TrimEnd('\n').Split('\n');
        Assert.Equal(3, notes.Length);
        Assert.Contains(notes, n => n.StartsWith($"note: not pulled: index {Database}/collectionGroups/orders/indexes/", StringComparison.Ordinal) && n.EndsWith("(vector or search fields, another API or query scope)", StringComparison.Ordinal));
        Assert.Contains("note: not pulled: index orders (score descending, name ascending): its build failed (NEEDS_REPAIR); delete it and declare it again", notes);
        Assert.Contains($"note: not pulled: field {Database}/collectionGroups/__default__/fields/*: the database-wide default, or a name holding a '.', which a declaration cannot name", notes);

        var yaml = await File.ReadAllTextAsync(Path.Combine(_directory, "migrations", "pre", "0001_indexes.yaml"));
        Assert.Contains("\n# Pulled by 'seeding pull' from:\n#   firestore-emulator:", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("# Read at", yaml, StringComparison.Ordinal);
        Assert.EndsWith(
            """
            steps:
              - index: members
                scope: collection_group
                fields:
                  - roles: contains
                  - joined_at: descending
              - index: users
                fields:
                  - tenant_id: ascending
                  - email: ascending
              - field_override: events
                field: payload
                indexes: []
              - field_override: members
                field: e-mail
                indexes: [{ order: ascending, scope: collection }, { order: descending, scope: collection_group }]
              - field_override: sessions
                field: expires_at
                ttl: true

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            yaml);
        // Every collection group at once, page by page, with the filter Google documents for overridden fields.
        lock (fake.State.Gate)
        {
            var lists = fake.State.Calls.Where(c => c.Method is "ListIndexes" or "ListFields").ToList();
            Assert.All(lists, c => Assert.Equal("parent=" + Uri.EscapeDataString($"{Database}/collectionGroups/-"), c.RequestParams));
            Assert.Equal(2, lists.Count(c => c.Method == "ListIndexes"));
            Assert.Equal(2, lists.Count(c => c.Method == "ListFields"));
        }
    }

    private static Admin.Field Field(string name, params (Admin.Index.Types.IndexField Field, Admin.Index.Types.QueryScope Scope)[] indexes)
    {
        var config = new Admin.Field.Types.IndexConfig { UsesAncestorConfig = false };
        foreach (var (field, scope) in indexes)
        {
            var index = new Admin.Index { QueryScope = scope, State = Admin.Index.Types.State.Ready };
            index.Fields.Add(field);
            config.Indexes.Add(index);
        }

        return new Admin.Field { Name = name, IndexConfig = config };
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(FakeFirestoreAdmin fake, params string[] args)
    {
        // The emulator's documents are never read: only the Admin endpoint answers.
        var environment = new Dictionary<string, string>
        {
            ["FIRESTORE_EMULATOR_HOST"] = "127.0.0.1:9",
            ["FIRESTORE_PROJECT_ID"] = Project,
            ["Seeding__Firestore__AdminEndpoint"] = fake.Endpoint,
        };
        return await InProcessCli.RunAsync([], environment, args, _directory);
    }
}
