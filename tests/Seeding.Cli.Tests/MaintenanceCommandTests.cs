using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Seeding.Cli.Tests;

public sealed class MaintenanceCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private async Task TouchAsync(string collection, string id)
    {
        // Another writer changes one seeded document after the migration created it.
        await using var store = await Seeding.Sqlite.SqliteDocumentStore.OpenAsync(new Seeding.Sqlite.SqliteStoreOptions(_workspace.DefaultDatabase));
        await store.WriteBatchAsync([Seeding.Store.DocumentWrite.Merge(
            Seeding.Documents.DocumentPath.Create(collection, id),
            new Dictionary<string, Seeding.Values.Value> { ["edited"] = Seeding.Values.Value.Boolean(true) })]);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Revert_deletes_untouched_documents_keeps_edited_ones_and_the_migration_becomes_pending()
    {
        await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "pre");
        await TouchAsync("catalog_plans", "pro");

        var plan = await _workspace.RunAsync([TestServices.Catalog()], "revert", "0002_plans", "--dry-run");
        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        Assert.Matches(@"catalog_plans/free\s+would delete", plan.Output);

        var result = await _workspace.RunAsync([TestServices.Catalog()], "revert", "pre/0002_plans");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Matches(@"catalog_plans/free\s+deleted", result.Output);
        Assert.Matches(@"catalog_plans/pro\s+kept\s+changed since it was created", result.Output);
        Assert.Contains("2 deleted, 1 kept", result.Output);

        var status = await _workspace.RunAsync([TestServices.Catalog()], "status");
        Assert.Matches(@"catalog\s+pre/0002_plans\s+pending", status.Output);
        var again = await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "pre");
        Assert.Contains("2 created, 1 skipped", again.Output);
    }

    [Fact]
    public async Task Revert_lists_the_topics_and_subscription_it_keeps_in_text_and_json()
    {
        await _workspace.RunAsync([ResourceServices.Events()], "migrate", "--phase", "pre");

        var plan = await _workspace.RunAsync([ResourceServices.Events()], "revert", "0002_topics", "--dry-run");
        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        Assert.Matches(@"topic audit-events\s+kept\s+a revert deletes documents only", plan.Output);
        Assert.Matches(@"subscription audit-writer\s+kept", plan.Output);
        Assert.Contains("0 would be deleted, 2 kept", plan.Output);

        var result = await _workspace.RunAsync([ResourceServices.Events()], "revert", "0002_topics", "--output", "json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var kept = json.RootElement.GetProperty("keptResources").EnumerateArray()
            .Select(k => (k.GetProperty("kind").GetString(), k.GetProperty("name").GetString(), k.GetProperty("line").GetInt32())).ToArray();
        Assert.Equal([("topic", "audit-events", 2), ("subscription", "audit-writer", 6)], kept);
    }

    [Fact]
    public async Task Revert_of_a_migration_that_is_not_applied_fails_with_the_reason_as_json()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "revert", "0001_roles", "--output", "json");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("revert", json.RootElement.GetProperty("command").GetString());
        Assert.Contains("not applied", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Lock_records_only_applied_migrations_adds_new_ones_and_refuses_a_changed_one()
    {
        var dir = Path.Combine(_workspace.Directory, "svc");
        Directory.CreateDirectory(Path.Combine(dir, "migrations"));

        // Nothing applied yet: nothing locked, and it says why.
        var none = await _workspace.RunAsync([TestServices.Catalog()], "lock", "--service-dir", "svc");
        Assert.True(none.ExitCode == ExitCodes.Ok, none.ToString());
        Assert.Contains("Locked 0 applied migrations of catalog in svc/seeding.lock.json (0 new); 3 pending migrations are not locked (not applied on sqlite:", none.Output);

        await _workspace.RunAsync([TestServices.Catalog()], "migrate", "--phase", "pre");
        var first = await _workspace.RunAsync([TestServices.Catalog()], "lock", "--service-dir", "svc");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.Contains("Locked 2 applied migrations of catalog in svc/seeding.lock.json (2 new); 1 pending migration is not locked", first.Output);
        Assert.Equal(
            "{\n  \"version\": 1,\n  \"service\": \"catalog\",\n  \"migrations\": {\n" +
            "    \"pre/0001_roles\": \"sha256:roles-v1\",\n    \"pre/0002_plans\": \"sha256:plans-v1\"\n  }\n}\n",
            await File.ReadAllTextAsync(Path.Combine(dir, "seeding.lock.json")));

        await _workspace.RunAsync([TestServices.Catalog()], "migrate");
        var all = await _workspace.RunAsync([TestServices.Catalog()], "lock", "--service-dir", "svc", "--output", "json");
        using (var json = JsonDocument.Parse(all.Output))
        {
            Assert.Equal((3, 1, 0), (json.RootElement.GetProperty("migrations").GetInt32(), json.RootElement.GetProperty("added").GetInt32(), json.RootElement.GetProperty("pending").GetInt32()));
        }

        var text = await File.ReadAllTextAsync(Path.Combine(dir, "seeding.lock.json"));
        Assert.Contains("\"post/0001_flags\": \"sha256:flags-v1\"", text);
        var changed = await _workspace.RunAsync([TestServices.Catalog(rolesChecksum: "sha256:roles-v2")], "lock", "--service-dir", "svc");
        Assert.Equal(ExitCodes.Drift, changed.ExitCode);
        Assert.Contains("add a new migration instead", changed.Error);
        Assert.Contains("accept pre/0001_roles --reason", changed.Error);
        Assert.Equal(text, await File.ReadAllTextAsync(Path.Combine(dir, "seeding.lock.json")));
    }

    [Fact]
    public async Task Lock_refuses_a_folder_that_is_not_a_service()
    {
        var result = await _workspace.RunAsync([TestServices.Catalog()], "lock");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("does not look like a service folder", result.Error);
    }
}

public sealed class SkippedStepOutputTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static Seeding.Definitions.ServiceSeeds Guarded() => new("guarded", [],
    [
        new Seeding.Definitions.SeedDefinition("admin", Seeding.Definitions.SeedPhase.Bootstrap, "sha256:a", "bootstrap/admin.yaml", null,
            [Seeding.Definitions.SeedStep.Create("users", 3, [TestServices.Document("admin", 4, ("name", "admin"))], new Seeding.Definitions.StepConditions(When: "PLATFORM_ADMIN_EMAIL"))]),
    ]);

    [Fact]
    public async Task A_step_left_out_by_when_is_reported_with_its_reason_in_text_and_json()
    {
        var text = await _workspace.RunAsync([Guarded()], "migrate");
        Assert.True(text.ExitCode == ExitCodes.Ok, text.ToString());
        Assert.Contains("Skipped: guarded bootstrap/admin step 'create users' (bootstrap/admin.yaml:3): when: PLATFORM_ADMIN_EMAIL is not set.", text.Output);

        var json = await _workspace.RunAsync([Guarded()], "plan", "--output", "json");
        using var document = JsonDocument.Parse(json.Output);
        var skipped = document.RootElement.GetProperty("services")[0].GetProperty("seeds")[0].GetProperty("skippedSteps")[0];
        Assert.Equal("when: PLATFORM_ADMIN_EMAIL is not set", skipped.GetProperty("reason").GetString());
        Assert.Equal(3, skipped.GetProperty("line").GetInt32());
    }
}
