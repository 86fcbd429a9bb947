using System.Text.Json;

namespace Seeding.Cli.Tests;

/// <summary>
/// With nothing configured (the embedded SQLite store, no Pub/Sub setting), topic, subscription and index steps run
/// through the real runner and are reported as having no target, with the reason, in text and JSON; never silently,
/// never as a failure; status says what is still to be ensured.
/// </summary>
public sealed class NoTargetTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Plan_and_migrate_report_topics_and_indexes_as_having_no_target_with_the_reason_once()
    {
        var plan = await _workspace.RunAsync([ResourceServices.Events(), ResourceServices.Users()], "plan", "--all");
        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        var lines = plan.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("    no target         topic audit-events ", StringComparison.Ordinal) && l.EndsWith("migrations/pre/0002_topics.yaml:2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    no target         subscription audit-writer ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    no target         index users (tenant_id ascending, email ascending) ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("    no target (topic, subscription): no Pub/Sub target: set PUBSUB_EMULATOR_HOST", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("    no target (index, field override): ", StringComparison.Ordinal) && l.Contains("sqlite", StringComparison.Ordinal));
        Assert.Contains("; 5 resources (5 no target) in ", plan.Output);

        var migrate = await _workspace.RunAsync([ResourceServices.Events(), ResourceServices.Users()], "migrate", "--all");
        Assert.True(migrate.ExitCode == ExitCodes.Ok, migrate.ToString());
        Assert.Contains("Resources:\n  events pre/0002_topics (migrations/pre/0002_topics.yaml)\n    no target         topic audit-events ", migrate.Output);
        Assert.Contains("; 5 resources (5 no target) in ", migrate.Output);

        var status = await _workspace.RunAsync([ResourceServices.Events(), ResourceServices.Users()], "status");
        Assert.Contains("Without target: events pre/0002_topics ran its topic and subscription steps with no target", status.Output);
        // Indexes are not left for a later run: the SQLite store that holds the history never gains an index API.
        Assert.DoesNotContain("users pre/0001_indexes ran", status.Output);
    }

    [Fact]
    public async Task Json_reports_each_resource_with_no_target_and_its_note()
    {
        var result = await _workspace.RunAsync([ResourceServices.Events()], "migrate", "--output", "json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("pubSub").ValueKind);
        var seeds = root.GetProperty("services")[0].GetProperty("seeds").EnumerateArray().ToArray();
        Assert.Empty(seeds[0].GetProperty("resources").EnumerateArray());
        var resources = seeds[1].GetProperty("resources").EnumerateArray().ToArray();
        Assert.Equal(["topic audit-events no_target 2", "subscription audit-writer no_target 6"],
            resources.Select(r => $"{r.GetProperty("kind").GetString()} {r.GetProperty("name").GetString()} {r.GetProperty("action").GetString()} {r.GetProperty("line").GetInt32()}"));
        Assert.All(resources, r => Assert.StartsWith("no Pub/Sub target", r.GetProperty("note").GetString()));
        Assert.Equal(2, root.GetProperty("totals").GetProperty("resources").GetInt32());

        var status = JsonDocument.Parse((await _workspace.RunAsync([ResourceServices.Events()], "status", "--output", "json")).Output).RootElement;
        var migrations = status.GetProperty("services")[0].GetProperty("migrations").EnumerateArray().ToArray();
        Assert.Equal([[], ["pubsub"]], migrations.Select(m => m.GetProperty("withoutTarget").EnumerateArray().Select(t => t.GetString()).ToArray()));
    }
}
