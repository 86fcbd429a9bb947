using System.Text.Json;
using Seeding.PubSub;
using Seeding.Resources;
using Seeding.TestSupport;

namespace Seeding.Cli.Tests;

/// <summary>
/// <c>seeding diff</c> and <c>status --drift</c> on topics and subscriptions changed on the Pub/Sub emulator after
/// <c>migrate</c>: one <c>~ setting: live -> declared</c> line per differing setting, <c>before</c>/<c>after</c> in JSON.
/// </summary>
public sealed class ResourceDiffCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_subscription_changed_after_migrate_shows_each_setting_live_and_declared_and_unchanged_resources_nothing()
    {
        var host = await PubSubEmulator.HostAsync();
        var project = PubSubEmulator.NewProjectId("resdiff");
        var environment = new Dictionary<string, string> { [PubSubOptions.EmulatorHostVariable] = host, [PubSubOptions.ProjectIdVariable] = project };
        var migrate = await RunAsync(environment, "migrate", "--all");
        Assert.True(migrate.ExitCode == ExitCodes.Ok, migrate.ToString());
        var clean = await RunAsync(environment, "diff", "--all");
        Assert.True(clean.ExitCode == ExitCodes.Ok, clean.ToString());
        Assert.DoesNotContain(clean.Output.Split('\n'), l => l.StartsWith("      ~ ", StringComparison.Ordinal) || l.Contains("~ subscription", StringComparison.Ordinal));

        using (var admin = await PubSubEmulator.AdminAsync(project))
        {
            var subscription = await admin.GetSubscriptionAsync("audit-writer");
            Assert.NotNull(subscription);
            await admin.UpdateSubscriptionAsync(
                subscription with { AckDeadline = TimeSpan.FromSeconds(20), MessageRetention = TimeSpan.FromDays(2) },
                [PubSubSetting.AckDeadline, PubSubSetting.MessageRetention]);
        }

        var text = await RunAsync(environment, "diff", "--all", "--detailed-exitcode");
        var json = await RunAsync(environment, "diff", "--all", "--output", "json");
        var status = await RunAsync(environment, "status", "--drift");
        var statusJson = await RunAsync(environment, "status", "--drift", "--output", "json");

        Assert.True(text.ExitCode == ExitCodes.DiffDrift, text.ToString());
        Assert.True(
            text.Output.Contains(
                "\n  ~ subscription audit-writer  (migrations/pre/0002_audit_topics.yaml:8)\n" +
                "      ~ message_retention: 2d -> 7d\n" +
                "      ~ ack_deadline: 20s -> 1m\n",
                StringComparison.Ordinal),
            text.Output);
        // The topics still hold what the seeds declare: counted, never listed.
        var audit = text.Output[text.Output.IndexOf("\naudit\n", StringComparison.Ordinal)..];
        Assert.DoesNotContain("~ topic", audit, StringComparison.Ordinal);
        Assert.Contains("2 resources unchanged)", audit, StringComparison.Ordinal);
        Assert.Contains("\nDrift: 0 of 27 documents, 1 resource differ from the seeds", text.Output);

        Assert.True(json.ExitCode == ExitCodes.Ok, json.ToString());
        var root = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        var resources = root.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "audit").GetProperty("resources").EnumerateArray().ToArray();
        var writer = resources.Single(r => r.GetProperty("name").GetString() == "audit-writer");
        Assert.Equal("differs", writer.GetProperty("state").GetString());
        Assert.Equal(["message_retention", "ack_deadline"], writer.GetProperty("settings").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(
            [("message_retention", "2d", "7d"), ("ack_deadline", "20s", "1m")],
            writer.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("setting").GetString(), c.GetProperty("before").GetString(), c.GetProperty("after").GetString())));
        var topic = resources.Single(r => r.GetProperty("name").GetString() == "audit-events");
        Assert.Equal(("same", 0), (topic.GetProperty("state").GetString(), topic.GetProperty("changes").GetArrayLength()));

        // status --drift reads the same Pub/Sub target, so the subscription's file counts one drifted resource.
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        Assert.Matches(@"^audit +pre/0002_audit_topics +applied .* +1 drifted$", status.Output.Split('\n').Single(l => l.Contains("pre/0002_audit_topics", StringComparison.Ordinal)));
        var migrations = JsonDocument.Parse(statusJson.Output).RootElement.GetProperty("services").EnumerateArray()
            .Single(s => s.GetProperty("service").GetString() == "audit").GetProperty("migrations").EnumerateArray();
        Assert.Equal(1, migrations.Single(m => m.GetProperty("id").GetString()!.Contains("0002_audit_topics", StringComparison.Ordinal)).GetProperty("drift").GetInt32());
    }

    private Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        DotnetProcess.RunAsync(SampleResourceTests.SamplesHost, _workspace.Directory, environment, args);
}
