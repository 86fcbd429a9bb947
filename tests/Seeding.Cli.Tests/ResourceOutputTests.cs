using System.Text.Json;
using Seeding.Cli.Commands;
using Seeding.Cli.Output;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Cli.Tests;

/// <summary>
/// How resource lines read in text and JSON output, from reports built by hand (every action, escaped names, a
/// "no target" reason said once per file for the kinds that share it, the totals count).
/// </summary>
public sealed class ResourceOutputTests
{
    private const string NoPubSub = "no Pub/Sub target: set PUBSUB_EMULATOR_HOST or PUBSUB_PROJECT_ID";

    private static MigrateResult Result(bool dryRun)
    {
        var service = ResourceServices.Events();
        var topics = service.Seeds[1];
        var report = new RunReport("events", dryRun,
        [
            new SeedReport
            {
                Seed = topics,
                Outcome = dryRun ? SeedOutcome.Planned : SeedOutcome.Applied,
                Plan = [],
                Resources =
                [
                    new PlannedResource(ResourceKind.Topic, "audit-events", ResourceAction.NoTarget, 2) { Note = NoPubSub },
                    new PlannedResource(ResourceKind.Subscription, "audit-writer", ResourceAction.NoTarget, 6) { Note = NoPubSub },
                    new PlannedResource(ResourceKind.Topic, "audit\u202Eevil", ResourceAction.Update, 9) { Note = "labels, message_retention" },
                    new PlannedResource(ResourceKind.Index, "users (tenant_id ascending, email ascending)", ResourceAction.Building, 12) { Note = "operation projects/p/databases/(default)/operations/abc" },
                    new PlannedResource(ResourceKind.FieldOverride, "sessions.expires_at", ResourceAction.NoTarget, 16) { Note = "the Firestore emulator has no index API" },
                    new PlannedResource(ResourceKind.Subscription, "audit-reader", ResourceAction.SkipExists, 20),
                ],
            },
        ], TimeSpan.FromMilliseconds(5));
        return new MigrateResult(dryRun ? "plan" : "migrate", dryRun, "in-memory", null, null, [SeedPhase.Pre],
            [new ServiceRun(service, ServiceRunState.Done, report, null)], TimeSpan.FromMilliseconds(7), ExitCodes.Ok);
    }

    private static async Task<string> TextAsync(MigrateResult result)
    {
        var output = new StringWriter();
        await TextOutput.MigrateAsync(output, result);
        return output.ToString().Replace("\r\n", "\n");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Each_resource_has_a_line_and_a_missing_target_is_explained_once_per_reason(bool dryRun)
    {
        var text = await TextAsync(Result(dryRun));
        const string Source = "migrations/pre/0002_topics.yaml";
        Assert.Contains($"    no target         topic audit-events                                  {Source}:2\n", text);
        Assert.Contains($"    no target         subscription audit-writer                           {Source}:6\n", text);
        Assert.Contains($"    update            topic \"audit\\u202Eevil\"                             {Source}:9  labels, message_retention\n", text);
        Assert.Contains($"    building          index users (tenant_id ascending, email ascending)  {Source}:12  operation projects/p/databases/(default)/operations/abc\n", text);
        Assert.Contains($"    skip (exists)     subscription audit-reader                           {Source}:20\n", text);
        Assert.Contains($"    no target (topic, subscription): {NoPubSub}\n", text);
        Assert.Contains("    no target (field override): the Firestore emulator has no index API\n", text);
        Assert.Contains($"    no target         field override sessions.expires_at                  {Source}:16\n", text);
        Assert.Single(text.Split('\n'), line => line.Contains(NoPubSub, StringComparison.Ordinal));
        Assert.DoesNotContain('\u202E', text);
        Assert.DoesNotContain("(no documents)", text);
        Assert.Contains("; 6 resources (1 skip (exists), 1 update, 1 building, 3 no target) in ", text);
        Assert.Equal(dryRun ? 0 : 1, text.Split('\n').Count(l => l == "Resources:"));
    }

    [Fact]
    public void Json_lists_the_resources_of_each_seed_file_and_counts_them()
    {
        using var json = JsonDocument.Parse(JsonOutput.Migrate(Result(dryRun: false)));
        var seed = json.RootElement.GetProperty("services")[0].GetProperty("seeds")[0];
        var resources = seed.GetProperty("resources").EnumerateArray().ToArray();
        Assert.Equal(["kind", "name", "action", "line", "note"], resources[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["topic audit-events no_target 2", "subscription audit-writer no_target 6", "topic audit\u202Eevil update 9",
             "index users (tenant_id ascending, email ascending) building 12", "field_override sessions.expires_at no_target 16", "subscription audit-reader skip_exists 20"],
            resources.Select(r => $"{r.GetProperty("kind").GetString()} {r.GetProperty("name").GetString()} {r.GetProperty("action").GetString()} {r.GetProperty("line").GetInt32()}"));
        Assert.Equal(NoPubSub, resources[0].GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, resources[5].GetProperty("note").ValueKind);
        Assert.Equal(6, json.RootElement.GetProperty("totals").GetProperty("resources").GetInt32());
    }
}
