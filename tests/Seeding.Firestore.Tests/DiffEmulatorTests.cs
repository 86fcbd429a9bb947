using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Seeding.Diffing;
using Seeding.Running;
using Seeding.Store;
using Seeding.Cli;
using Seeding.TestSupport;

namespace Seeding.Firestore.Tests;

/// <summary>
/// <c>seeding diff</c> on the emulator, through the command line with the five samples: clean right after
/// <c>migrate --all</c>, and exact about edits made by hand with Google's official Node.js client (a changed field, a
/// deleted field, a deleted document).
/// </summary>
public sealed class DiffEmulatorTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(string project, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["FIRESTORE_EMULATOR_HOST"] = await FirestoreEmulator.HostAsync(),
            ["FIRESTORE_PROJECT_ID"] = project,
            ["DOTNET_ENVIRONMENT"] = "development",
            ["PLATFORM_ADMIN_EMAIL"] = "admin@platform.test",
        };
        return await InProcessCli.RunAsync(SamplesEndToEndTests.Services, environment, args);
    }

    private async Task<string> MigratedProjectAsync(string hint)
    {
        var project = FirestoreEmulator.NewProjectId(hint);
        var (code, output, error) = await RunAsync(project, "migrate", "--all");
        Assert.True(code == ExitCodes.Ok, $"exit {code}\n{output}\n{error}");
        return project;
    }

    [Fact]
    public async Task Right_after_migrate_all_the_samples_diff_clean_with_exit_code_0()
    {
        var project = await MigratedProjectAsync("diff-clean");

        var (code, output, error) = await RunAsync(project, "diff", "--all", "--detailed-exitcode");
        var (jsonCode, json, _) = await RunAsync(project, "diff", "--all", "--detailed-exitcode", "--output", "json");
        log.WriteLine(output);

        Assert.True(code == ExitCodes.Ok, $"exit {code}\n{output}\n{error}");
        Assert.Contains("reads from Firestore read_time at ", output);
        Assert.Contains("\nNo drift: 28 documents, 2 backfills and 0 resources hold what the seeds declare", output);
        Assert.Equal(ExitCodes.Ok, jsonCode);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.False(root.GetProperty("drift").GetBoolean());
        var match = Assert.Single(root.GetProperty("services").EnumerateArray().SelectMany(s => s.GetProperty("matches").EnumerateArray()));
        Assert.Equal("one", match.GetProperty("found").GetString());
        Assert.Equal("email = (redacted)", match.GetProperty("match").GetString());
    }

    [Fact]
    public async Task Edits_made_with_the_node_client_are_reported_exactly_with_exit_code_2()
    {
        var project = await MigratedProjectAsync("diff-node");
        var folder = await InteropTests.NodeClientAsync();
        Assert.Contains("drift edits ok", await InteropTests.RunAsync("node", ["drift.js", project], folder, TimeSpan.FromMinutes(2), ("FIRESTORE_EMULATOR_HOST", await FirestoreEmulator.HostAsync())));

        var (code, output, error) = await RunAsync(project, "diff", "--all", "--detailed-exitcode");
        var (jsonCode, json, _) = await RunAsync(project, "diff", "--all", "--detailed-exitcode", "--output", "json");
        var (plainCode, _, _) = await RunAsync(project, "diff", "--all");
        log.WriteLine(output);

        Assert.True(code == ExitCodes.DiffDrift, $"exit {code}\n{output}\n{error}");
        Assert.Equal(ExitCodes.DiffDrift, jsonCode);
        Assert.Equal(ExitCodes.Ok, plainCode);
        var lines = output.Split('\n');
        Assert.Contains("  ~ roles/platform-admin  (migrations/pre/0001_initial_roles.yaml:7)", lines);
        Assert.Contains("      ~ name: \"Root Admin\" -> \"Platform Admin\"", lines);
        Assert.Contains("  ~ license_plans/team  (migrations/pre/0001_license_plans.yaml:14)", lines);
        Assert.Contains("      + seats: 25 (absent live)", lines);
        Assert.Contains("  - user_statuses/disabled: missing document  (migrations/pre/0001_user_statuses.yaml:6)", lines);
        Assert.Contains("\nDrift: 3 of 28 documents differ from the seeds", output);

        var documents = JsonDocument.Parse(json).RootElement.GetProperty("services").EnumerateArray()
            .SelectMany(s => s.GetProperty("documents").EnumerateArray())
            .ToDictionary(d => d.GetProperty("path").GetString()!);
        Assert.Equal(["license_plans/team", "roles/platform-admin", "user_statuses/disabled"], documents.Keys.Order(StringComparer.Ordinal));
        var name = Assert.Single(documents["roles/platform-admin"].GetProperty("fields").EnumerateArray());
        Assert.Equal(("name", "changed", "Root Admin", "Platform Admin"), (name.GetProperty("path").GetString(), name.GetProperty("change").GetString(), name.GetProperty("live").GetProperty("string").GetString(), name.GetProperty("declared").GetProperty("string").GetString()));
        var seats = Assert.Single(documents["license_plans/team"].GetProperty("fields").EnumerateArray());
        Assert.Equal(("seats", "absent", JsonValueKind.Null, "25"), (seats.GetProperty("path").GetString(), seats.GetProperty("change").GetString(), seats.GetProperty("live").ValueKind, seats.GetProperty("declared").GetProperty("integer").GetString()));
        Assert.True(documents["user_statuses/disabled"].GetProperty("missing").GetBoolean());
        Assert.Empty(documents["user_statuses/disabled"].GetProperty("fields").EnumerateArray());
    }

    [Fact]
    public async Task A_diff_of_the_samples_costs_one_batched_read_per_service_and_one_query_per_match_or_backfill()
    {
        var project = await MigratedProjectAsync("diff-rpc");
        var calls = new CallCounter();
        var options = await FirestoreEmulator.OptionsAsync(project);
        options.Interceptors.Add(calls);
        await using var store = new FirestoreDocumentStore(options);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("PLATFORM_ADMIN_EMAIL", "admin@platform.test")]).Build();

        var result = await new SeedDiffer(store, new SeedRunnerOptions { Capabilities = new StoreCapabilities { Snapshots = store } })
            .DiffAsync(SamplesEndToEndTests.Services, new DiffRequest { Environment = "development", Configuration = configuration });

        Assert.False(result.HasDrift);
        Assert.Equal(28, result.Services.Sum(s => s.DocumentsCompared));
        // Per service, as a run: one BatchGetDocuments for its migrations' history (pending ones are reported apart), one
        // for its declared documents (under 1,000); the admin match and the two backfills (whose null conditions
        // Firestore cannot count) one RunQuery each; nothing written.
        Assert.Equal(new Dictionary<string, int> { ["BatchGetDocuments"] = 10, ["RunQuery"] = 3 }, calls.Snapshot());
    }
}
