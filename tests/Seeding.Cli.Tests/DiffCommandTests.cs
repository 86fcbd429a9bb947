using System.Text.Json;
using Seeding.Documents;
using Seeding.PubSub;
using Seeding.Resources;
using Seeding.Sqlite;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Cli.Tests;

/// <summary><c>seeding diff</c>: text like Terraform's plan, JSON with live/declared per field, and the exit codes.</summary>
public sealed class DiffCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private async Task EditAsync(params DocumentWrite[] writes)
    {
        await using (var store = await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(_workspace.DefaultDatabase)))
        {
            Assert.All(await store.WriteBatchAsync(writes), o => Assert.True(o.Applied));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_changed_and_a_deleted_document_are_reported_with_escaped_values_and_exit_2_only_when_asked()
    {
        var services = new[] { TestServices.Catalog() };
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--all")).ExitCode);
        var clean = await _workspace.RunAsync(services, "diff", "--all", "--detailed-exitcode");
        Assert.True(clean.ExitCode == ExitCodes.Ok, clean.ToString());

        await EditAsync(
            DocumentWrite.Merge(DocumentPath.Parse("catalog_roles/admin"), new Dictionary<string, Value> { ["name"] = Value.String("Ad\"\nmin"), ["note"] = Value.Integer(7) }),
            DocumentWrite.Delete(DocumentPath.Parse("catalog_plans/pro")));
        var text = await _workspace.RunAsync(services, "diff", "--all", "--detailed-exitcode", "--show-unmanaged");
        var plain = await _workspace.RunAsync(services, "diff", "--all");
        var json = await _workspace.RunAsync(services, "diff", "--all", "--detailed-exitcode", "--output", "json");

        Assert.True(text.ExitCode == ExitCodes.DiffDrift, text.ToString());
        var lines = text.Output.Split('\n');
        Assert.Contains("  ~ catalog_roles/admin  (migrations/pre/0001_roles.yaml:4)", lines);
        Assert.Contains("      ~ name: \"Ad\\\"\\nmin\" -> \"admin\"", lines);
        Assert.Contains("      # note: 7 (unmanaged)", lines);
        Assert.Contains("  - catalog_plans/pro: missing document  (migrations/pre/0002_plans.yaml:5)", lines);
        Assert.Contains("  (5 documents unchanged)", lines);
        Assert.StartsWith("Drift: 2 of 7 documents differ from the seeds in ", lines.Single(l => l.StartsWith("Drift:", StringComparison.Ordinal)));
        Assert.Equal(ExitCodes.Ok, plain.ExitCode);
        Assert.Equal(ExitCodes.DiffDrift, json.ExitCode);

        var root = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal((2, "diff", 2, true), (root.GetProperty("schemaVersion").GetInt32(), root.GetProperty("command").GetString(), root.GetProperty("exitCode").GetInt32(), root.GetProperty("drift").GetBoolean()));
        Assert.Equal("one SQLite read transaction", root.GetProperty("consistency").GetString());
        var documents = root.GetProperty("services")[0].GetProperty("documents");
        var name = Assert.Single(documents[0].GetProperty("fields").EnumerateArray());
        Assert.Equal(("name", "changed", "Ad\"\nmin", "admin"), (name.GetProperty("path").GetString(), name.GetProperty("change").GetString(), name.GetProperty("live").GetProperty("string").GetString(), name.GetProperty("declared").GetProperty("string").GetString()));
        Assert.Equal(("catalog_plans/pro", true), (documents[1].GetProperty("path").GetString(), documents[1].GetProperty("missing").GetBoolean()));
    }

    [Fact]
    public async Task Status_shows_a_drift_column_only_when_asked()
    {
        var services = new[] { TestServices.Catalog() };
        Assert.Equal(ExitCodes.Ok, (await _workspace.RunAsync(services, "migrate", "--all")).ExitCode);
        await EditAsync(
            DocumentWrite.Merge(DocumentPath.Parse("catalog_roles/admin"), new Dictionary<string, Value> { ["name"] = Value.String("Root") }),
            DocumentWrite.Delete(DocumentPath.Parse("catalog_accounts/system")));

        var plain = await _workspace.RunAsync(services, "status");
        var drift = await _workspace.RunAsync(services, "status", "--drift");
        var json = await _workspace.RunAsync(services, "status", "--drift", "--output", "json");
        var plainJson = await _workspace.RunAsync(services, "status", "--output", "json");

        Assert.Equal(ExitCodes.Ok, drift.ExitCode);
        Assert.DoesNotContain("Drift", plain.Output);
        var lines = drift.Output.Split('\n');
        Assert.Matches(@"^catalog +pre/0001_roles +applied .* +1 drifted$", lines.Single(l => l.Contains("pre/0001_roles", StringComparison.Ordinal)));
        Assert.Matches(@"^catalog +pre/0002_plans +applied .* +none$", lines.Single(l => l.Contains("pre/0002_plans", StringComparison.Ordinal)));
        Assert.Contains("Drift: 2 differences from the seeds (catalog/system_account: 1 in bootstrap seeds); `seeding diff` shows them field by field.", lines);
        var migrations = JsonDocument.Parse(json.Output).RootElement.GetProperty("services")[0].GetProperty("migrations");
        Assert.Equal([1, 0, 0], migrations.EnumerateArray().Select(m => m.GetProperty("drift").GetInt32()));
        Assert.Equal(1, JsonDocument.Parse(json.Output).RootElement.GetProperty("services")[0].GetProperty("bootstrap")[0].GetProperty("drift").GetInt32());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(plainJson.Output).RootElement.GetProperty("services")[0].GetProperty("migrations")[0].GetProperty("drift").ValueKind);
    }

    [Fact]
    public async Task With_detailed_exitcode_a_usage_error_exits_1_never_2()
    {
        var services = new[] { TestServices.Catalog(), TestServices.Small("other") };

        var noSelection = await _workspace.RunAsync(services, "diff", "--detailed-exitcode");
        var noSelectionPlain = await _workspace.RunAsync(services, "diff");
        var badOption = await _workspace.RunAsync(services, "diff", "--all", "--detailed-exitcode", "--bogus");
        var badOptionPlain = await _workspace.RunAsync(services, "diff", "--all", "--bogus");

        Assert.True(noSelection.ExitCode == ExitCodes.Failure, noSelection.ToString());
        Assert.Contains("error: Choose the services", noSelection.Error);
        Assert.Equal(ExitCodes.Usage, noSelectionPlain.ExitCode);
        Assert.True(badOption.ExitCode == ExitCodes.Failure, badOption.ToString());
        Assert.Equal(ExitCodes.Usage, badOptionPlain.ExitCode);
    }

    [Fact]
    public async Task Right_after_migrate_all_the_samples_diff_clean_on_sqlite()
    {
        var migrate = await DotnetProcess.RunAsync(SampleResourceTests.SamplesHost, _workspace.Directory, null, "migrate", "--all");
        Assert.True(migrate.ExitCode == ExitCodes.Ok, migrate.ToString());

        var diff = await DotnetProcess.RunAsync(SampleResourceTests.SamplesHost, _workspace.Directory, null, "diff", "--all", "--detailed-exitcode");

        Assert.True(diff.ExitCode == ExitCodes.Ok, diff.ToString());
        Assert.StartsWith("Comparing 5 services (tenant, user, license, survey, audit) with sqlite:.seeding/seeding.db, phases pre, bootstrap, post; reads from one SQLite read transaction at ", diff.Output);
        Assert.Contains("\nNo drift: 27 documents, 2 backfills and 0 resources hold what the seeds declare; 5 resources not compared (no target) in ", diff.Output);
        Assert.Contains("  not compared (topic, subscription): audit-events, audit-events-dead-letter, audit-writer: no target: no Pub/Sub target", diff.Output);
    }

    [Fact]
    public async Task A_topic_whose_retention_was_changed_on_the_pub_sub_emulator_is_reported()
    {
        var host = await PubSubEmulator.HostAsync();
        var project = PubSubEmulator.NewProjectId("diff");
        var environment = new Dictionary<string, string> { [PubSubOptions.EmulatorHostVariable] = host, [PubSubOptions.ProjectIdVariable] = project };
        var migrate = await DotnetProcess.RunAsync(SampleResourceTests.SamplesHost, _workspace.Directory, environment, "migrate", "--all");
        Assert.True(migrate.ExitCode == ExitCodes.Ok, migrate.ToString());
        var clean = await DotnetProcess.RunAsync(SampleResourceTests.SamplesHost, _workspace.Directory, environment, "diff", "--all", "--detailed-exitcode");
        Assert.True(clean.ExitCode == ExitCodes.Ok, clean.ToString());
        Assert.Contains("and 3 resources hold what the seeds declare", clean.Output);

        using (var admin = await PubSubEmulator.AdminAsync(project))
        {
            var topic = await admin.GetTopicAsync("audit-events");
            Assert.NotNull(topic);
            await admin.UpdateTopicAsync(topic with { MessageRetention = TimeSpan.FromDays(1) }, [PubSubSetting.MessageRetention]);
        }

        var diff = await DotnetProcess.RunAsync(SampleResourceTests.SamplesHost, _workspace.Directory, environment, "diff", "--all", "--detailed-exitcode");

        Assert.True(diff.ExitCode == ExitCodes.DiffDrift, diff.ToString());
        Assert.Contains("\n  ~ topic audit-events  (migrations/pre/0002_audit_topics.yaml:3)\n      ~ message_retention: 1d -> 7d\n", diff.Output);
        Assert.Contains("\nDrift: 0 of 27 documents, 1 resource differ from the seeds", diff.Output);
    }
}
