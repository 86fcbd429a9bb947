using System.Text.Json;
using Seeding.Definitions;

namespace Seeding.Cli.Tests;

/// <summary>
/// <c>seeding diff</c> after a deploy whose new migrations have not run yet: what they declare is the next run's work,
/// shown as pending, never drift, and not counted by <c>--detailed-exitcode</c>.
/// </summary>
public sealed class DiffPendingTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Documents_a_pending_migration_creates_or_changes_are_pending_and_exit_0_until_migrate_applies_them()
    {
        var applied = TestServices.Catalog();
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync([applied], "migrate", "--all")).ExitCode);
        var deployed = new ServiceSeeds("catalog", [],
        [
            .. applied.Seeds,
            TestServices.Create("0003_tiers", SeedPhase.Pre, "catalog_tiers", "sha256:tiers-v1", "gold"),
            new SeedDefinition("0004_rename", SeedPhase.Pre, "sha256:rename-v1", "migrations/pre/0004_rename.yaml", "Rename the admin role",
                [SeedStep.Upsert("catalog_roles", 2, [TestServices.Document("admin", 3, ("name", "Administrator"))])]),
        ]);

        var text = await _workspace.RunAsync([deployed], "diff", "--all", "--detailed-exitcode");
        var json = await _workspace.RunAsync([deployed], "diff", "--all", "--detailed-exitcode", "--output", "json");

        Assert.True(text.ExitCode == ExitCodes.Ok, text.ToString());
        var lines = text.Output.Split('\n');
        Assert.Contains("  + catalog_roles/admin (pending)  (migrations/pre/0004_rename.yaml:3)", lines);
        Assert.Contains("      ~ name: \"admin\" -> \"Administrator\" (pending)", lines);
        Assert.Contains("  + catalog_tiers/gold: pending, a migration not applied yet creates it  (migrations/pre/0003_tiers.yaml:4)", lines);
        Assert.Contains("  (6 documents unchanged)", lines);
        Assert.StartsWith("No drift: 6 of 8 documents, 0 backfills and 0 resources hold what the seeds declare; 2 documents pending (migrations not applied yet write them; not drift) in ",
            lines.Single(l => l.StartsWith("No drift:", StringComparison.Ordinal)));

        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        var root = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal((false, 0), (root.GetProperty("drift").GetBoolean(), root.GetProperty("driftCount").GetInt32()));
        var service = root.GetProperty("services")[0];
        Assert.Equal((8, 6, 2), (service.GetProperty("documentsCompared").GetInt32(), service.GetProperty("documentsUnchanged").GetInt32(), service.GetProperty("documentsPending").GetInt32()));
        var documents = service.GetProperty("documents").EnumerateArray().ToDictionary(d => d.GetProperty("path").GetString()!);
        Assert.True(documents["catalog_tiers/gold"].GetProperty("pending").GetBoolean());
        Assert.True(documents["catalog_tiers/gold"].GetProperty("missing").GetBoolean());
        Assert.False(documents["catalog_tiers/gold"].GetProperty("drifted").GetBoolean());
        var name = Assert.Single(documents["catalog_roles/admin"].GetProperty("fields").EnumerateArray());
        Assert.Equal(("name", true, "admin", "Administrator"), (name.GetProperty("path").GetString(), name.GetProperty("pending").GetBoolean(), name.GetProperty("live").GetProperty("string").GetString(), name.GetProperty("declared").GetProperty("string").GetString()));

        // Once migrate has run them, nothing is pending and nothing drifts.
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync([deployed], "migrate", "--all")).ExitCode);
        var after = await _workspace.RunAsync([deployed], "diff", "--all", "--detailed-exitcode");
        Assert.True(after.ExitCode == ExitCodes.Ok, after.ToString());
        Assert.Contains("\nNo drift: 8 documents, 0 backfills and 0 resources hold what the seeds declare in ", after.Output);
    }

    [Fact]
    public async Task A_document_an_applied_migration_created_and_someone_deleted_is_drift_even_when_a_pending_one_changes_it()
    {
        var applied = TestServices.Catalog();
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync([applied], "migrate", "--all")).ExitCode);
        await using (var store = await Sqlite.SqliteDocumentStore.OpenAsync(new Sqlite.SqliteStoreOptions(_workspace.DefaultDatabase)))
        {
            await store.WriteBatchAsync([Store.DocumentWrite.Delete(Documents.DocumentPath.Parse("catalog_roles/admin"))]);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var deployed = new ServiceSeeds("catalog", [],
        [
            .. applied.Seeds,
            new SeedDefinition("0004_rename", SeedPhase.Pre, "sha256:rename-v1", "migrations/pre/0004_rename.yaml", "Rename the admin role",
                [SeedStep.Upsert("catalog_roles", 2, [TestServices.Document("admin", 3, ("name", "Administrator"))])]),
        ]);

        var text = await _workspace.RunAsync([deployed], "diff", "--all", "--detailed-exitcode");

        Assert.True(text.ExitCode == ExitCodes.DiffDrift, text.ToString());
        Assert.Contains("  - catalog_roles/admin: missing document  (migrations/pre/0004_rename.yaml:3)", text.Output.Split('\n'));
    }
}
