using System.Text.Json;
using Microsoft.Data.Sqlite;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Sqlite;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Cli.Tests;

/// <summary><c>plan --out</c> and <c>migrate --plan</c> on SQLite: exactly the reviewed writes, or nothing of a stale plan.</summary>
public sealed class SavedPlanTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string PlanFile => Path.Combine(_workspace.Directory, "plan.json");

    [Fact]
    public async Task Plan_out_then_migrate_plan_applies_exactly_the_planned_writes()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];
        var plan = await _workspace.RunAsync(services, "plan", "--out", "plan.json");
        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        Assert.Contains("Plan saved to plan.json", plan.Error);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(PlanFile)))
        {
            var root = json.RootElement;
            Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
            Assert.StartsWith("sqlite:", root.GetProperty("store").GetString());
            var service = root.GetProperty("services").EnumerateArray().Single();
            Assert.Equal("catalog", service.GetProperty("service").GetString());
            Assert.StartsWith("sha256:", service.GetProperty("seedsChecksum").GetString());
            var seeds = service.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("seed").GetString()!).ToArray();
            Assert.Equal<string>(["pre/0001_roles", "pre/0002_plans", "bootstrap/system_account", "post/0001_flags"], seeds);
            var admin = service.GetProperty("seeds")[0].GetProperty("entries")[0];
            Assert.Equal("catalog_roles/admin", admin.GetProperty("path").GetString());
            Assert.Equal("absent", admin.GetProperty("seen").GetString());
            var fields = Plans.ValueJson.ReadFields(admin.GetProperty("write").GetProperty("fields"));
            var only = Assert.Single(fields);
            Assert.Equal(("name", Value.String("admin")), (only.Key, only.Value));
        }

        Assert.Equal(0, CountRows(_workspace.DefaultDatabase));
        var apply = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json");
        Assert.True(apply.ExitCode == ExitCodes.Ok, apply.ToString());
        Assert.Matches(@"phases pre, bootstrap, post, exactly as planned in plan.json \(read \d{4}-\d\d-\d\dT[\d:.]{15}Z\)\.", apply.Output);
        Assert.Matches(@"pre/0001_roles\s+applied\s+2\s+0\s+0", apply.Output);
        Assert.Matches(@"bootstrap/system_account\s+ensured\s+1\s+0\s+0", apply.Output);
        Assert.Contains("3 migrations: 3 applied, 0 pending, 0 drifted", (await _workspace.RunAsync(services, "status")).Output);

        // The same documents as a normal run leaves (the data, not the history and lease, which name hosts and times).
        using var reference = new Workspace();
        Assert.Equal(ExitCodes.Ok, (await reference.RunAsync(services, "migrate")).ExitCode);
        Assert.Equal(DataRows(reference.DefaultDatabase), DataRows(_workspace.DefaultDatabase));
        Assert.Equal(7, DataRows(_workspace.DefaultDatabase).Count);
    }

    [Fact]
    public async Task A_write_after_an_earlier_write_of_the_plan_is_conditioned_on_it()
    {
        var x = TestServices.Document("x", 4, ("a", "first"));
        var again = TestServices.Document("x", 4, ("b", "second"));
        ServiceSeeds[] services =
        [
            new ServiceSeeds("chain", [], [
                new SeedDefinition("0001_x", SeedPhase.Pre, "sha256:x1", "migrations/pre/0001_x.yaml", null, [SeedStep.Create("things", 2, [x])]),
                new SeedDefinition("0002_x", SeedPhase.Pre, "sha256:x2", "migrations/pre/0002_x.yaml", null, [SeedStep.Upsert("things", 2, [again])]),
            ]),
        ];
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan", "--out", "plan.json")).ExitCode);
        Assert.Contains("\"seen\": \"plannedEarlier\"", await File.ReadAllTextAsync(PlanFile));

        var apply = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json");
        Assert.True(apply.ExitCode == ExitCodes.Ok, apply.ToString());
        var document = await ReadAsync(_workspace.DefaultDatabase, "things/x");
        Assert.Equal("first", document.Fields["a"].AsString());
        Assert.Equal("second", document.Fields["b"].AsString());
    }

    [Fact]
    public async Task A_document_created_since_the_plan_is_named_nothing_is_written_and_the_migration_stays_pending()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan", "--out", "plan.json")).ExitCode);
        await WriteAsync(_workspace.DefaultDatabase, DocumentWrite.Create(DocumentPath.Parse("catalog_roles/admin"), Fields(("by", "someone else"))));

        var apply = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json");
        Assert.True(apply.ExitCode == ExitCodes.StalePlan, apply.ToString());
        Assert.Contains("catalog_roles/admin (plan saw absent, now updated ", apply.Error);
        Assert.Contains("Make a new plan", apply.Error);
        Assert.Contains("refused: stale plan", apply.Output);

        Assert.Contains("3 migrations: 0 applied, 3 pending, 0 drifted", (await _workspace.RunAsync(services, "status")).Output);
        Assert.Equal(["catalog_roles/admin"], DataRows(_workspace.DefaultDatabase).Select(r => r.Path));
        Assert.Equal("someone else", (await ReadAsync(_workspace.DefaultDatabase, "catalog_roles/admin")).Fields["by"].AsString());
    }

    [Fact]
    public async Task A_document_changed_since_the_plan_is_stale_even_when_the_plan_only_skips_it()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--phase", "pre")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--phase", "bootstrap")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan", "--out", "plan.json")).ExitCode);
        var planned = await File.ReadAllTextAsync(PlanFile);
        Assert.Contains("\"action\": \"skipExists\"", planned);
        var system = await ReadAsync(_workspace.DefaultDatabase, "catalog_accounts/system");
        await WriteAsync(_workspace.DefaultDatabase, DocumentWrite.Set(system.Path, Fields(("name", "renamed")), Precondition.UpdatedAt(system.UpdateTime!.Value)));

        var apply = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json");
        Assert.True(apply.ExitCode == ExitCodes.StalePlan, apply.ToString());
        Assert.Contains($"catalog_accounts/system (plan saw updated {Plans.ValueJson.FormatTimestamp(system.UpdateTime!.Value)}, now updated ", apply.Error);
        Assert.Contains("3 migrations: 2 applied, 1 pending, 0 drifted", (await _workspace.RunAsync(services, "status")).Output);
        Assert.DoesNotContain(DataRows(_workspace.DefaultDatabase), r => r.Path == "catalog_flags/beta");
    }

    [Fact]
    public async Task A_plan_whose_migrations_were_applied_meanwhile_is_stale()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan", "--out", "plan.json", "--phase", "pre")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--phase", "pre")).ExitCode);

        var apply = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json");
        Assert.True(apply.ExitCode == ExitCodes.StalePlan, apply.ToString());
        Assert.Contains("migration(s) applied since the plan: pre/0001_roles, pre/0002_plans", apply.Error);
    }

    [Fact]
    public async Task A_plan_for_another_store_other_services_or_other_seeds_is_refused()
    {
        ServiceSeeds[] services = [TestServices.Catalog(), TestServices.Small("other")];
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan", "--out", "plan.json", "--service", "catalog")).ExitCode);

        var store = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json", "--database", "other.db");
        Assert.True(store.ExitCode == ExitCodes.Usage, store.ToString());
        Assert.Matches("The plan was made for the store sqlite:[^,]*seeding.db, not sqlite:[^,]*other.db", store.Error);

        var other = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json", "--service", "other");
        Assert.True(other.ExitCode == ExitCodes.Usage, other.ToString());
        Assert.Contains("made for the services catalog (in that order), not other", other.Error);

        var edited = await _workspace.RunAsync([TestServices.Catalog(rolesChecksum: "sha256:roles-v2")], "migrate", "--plan", "plan.json");
        Assert.True(edited.ExitCode == ExitCodes.Usage, edited.ToString());
        Assert.Contains("The seed files of 'catalog' differ from the plan's", edited.Error);
        Assert.Contains("Make a new plan with this build", edited.Error);

        var dryRun = await _workspace.RunAsync(services, "migrate", "--plan", "plan.json", "--dry-run");
        Assert.Equal(ExitCodes.Usage, dryRun.ExitCode);
        var missing = await _workspace.RunAsync(services, "migrate", "--plan", "nope.json");
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("Cannot read the plan file nope.json", missing.Error);

        // Nothing of any refused plan was written.
        Assert.Empty(DataRows(_workspace.DefaultDatabase));
        Assert.Contains("0 applied, 3 pending", (await _workspace.RunAsync(services, "status", "--service", "catalog")).Output);
    }

    [Fact]
    public async Task A_pending_file_with_topics_cannot_be_saved_in_a_plan_and_no_file_is_written()
    {
        var plan = await _workspace.RunAsync([ResourceServices.Events()], "plan", "--out", "plan.json");
        Assert.True(plan.ExitCode == ExitCodes.Failure, plan.ToString());
        Assert.Contains("events pre/0002_topics: it declares topics, subscriptions or indexes", plan.Error);
        Assert.Contains("Apply it with seeding migrate (without --plan)", plan.Error);
        Assert.False(File.Exists(PlanFile));
    }

    [Fact]
    public async Task Plan_with_and_without_out_takes_no_lease_and_writes_nothing_at_all()
    {
        ServiceSeeds[] services = [TestServices.Catalog()];
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--phase", "pre")).ExitCode);
        var before = AllRows(_workspace.DefaultDatabase);
        Assert.Contains(before, r => r.StartsWith("seeding_locks/catalog", StringComparison.Ordinal));

        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan")).ExitCode);
        Assert.Equal(before, AllRows(_workspace.DefaultDatabase));
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "plan", "--out", "plan.json")).ExitCode);
        Assert.Equal(before, AllRows(_workspace.DefaultDatabase));
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--dry-run", "--output", "json")).ExitCode);
        Assert.Equal(before, AllRows(_workspace.DefaultDatabase));
    }

    internal static Dictionary<string, Value> Fields(params (string Key, string Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => Value.String(f.Value), StringComparer.Ordinal);

    private static async Task WriteAsync(string database, DocumentWrite write)
    {
        await using var store = await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(database));
        await store.CommitAsync([write]);
    }

    private static async Task<DocumentSnapshot> ReadAsync(string database, string path)
    {
        await using var store = await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(database));
        return (await store.GetAllAsync([DocumentPath.Parse(path)]))[0];
    }

    private static int CountRows(string database) => File.Exists(database) ? AllRows(database).Count(r => !r.StartsWith("meta ", StringComparison.Ordinal)) : 0;

    // The seeds' documents with their fields (no times): what a run wrote, comparable across two stores.
    private static List<(string Path, string Fields)> DataRows(string database) =>
        Query(database, "SELECT collection || '/' || id, hex(fields) FROM seeding_documents WHERE collection NOT LIKE 'seeding\\_%' ESCAPE '\\' ORDER BY 1",
            r => (r.GetString(0), r.GetString(1)));

    // Everything the file holds, times included: every document and the store's own commit clock.
    private static List<string> AllRows(string database) =>
        Query(database, "SELECT collection || '/' || id || ' ' || hex(fields) || ' ' || create_time || ' ' || update_time FROM seeding_documents ORDER BY 1", r => r.GetString(0))
            .Concat(Query(database, "SELECT 'meta ' || key || '=' || value FROM seeding_meta ORDER BY 1", r => r.GetString(0)))
            .ToList();

    private static List<T> Query<T>(string database, string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
