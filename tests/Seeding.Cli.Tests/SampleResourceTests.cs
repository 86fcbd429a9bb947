using System.Reflection;
using System.Text.Json;
using Seeding.PubSub;
using Seeding.TestSupport;

namespace Seeding.Cli.Tests;

/// <summary>
/// The README's commands on the samples' host (seeds/Samples.Host, a process): audit's 0002_audit_topics and user's
/// 0003_user_indexes are reported as having no target without Pub/Sub and index settings; with PUBSUB_EMULATOR_HOST
/// (Google's emulator) the same command creates audit's topics and subscription, also after a run without it; and
/// `indexes` writes the samples' index file, byte for byte the committed golden file.
/// </summary>
public sealed class SampleResourceTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    internal static string SamplesHost => typeof(SampleResourceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SamplesHostPath").Value!;

    private Task<CliResult> RunAsync(params string[] args) => DotnetProcess.RunAsync(SamplesHost, _workspace.Directory, null, args);

    private Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        DotnetProcess.RunAsync(SamplesHost, _workspace.Directory, environment, args);

    private static async Task<(Dictionary<string, string> Environment, string Host, string Project)> EmulatorAsync()
    {
        var host = await PubSubEmulator.HostAsync();
        var project = PubSubEmulator.NewProjectId("cli");
        return (new Dictionary<string, string> { [PubSubOptions.EmulatorHostVariable] = host, [PubSubOptions.ProjectIdVariable] = project }, host, project);
    }

    // What the emulator holds, read back with the real client: proof the run created the resources, not only said so.
    private static async Task AssertAuditResourcesExistAsync(string project)
    {
        using var admin = await PubSubEmulator.AdminAsync(project);
        Assert.NotNull(await admin.GetTopicAsync("audit-events"));
        Assert.NotNull(await admin.GetTopicAsync("audit-events-dead-letter"));
        var subscription = await admin.GetSubscriptionAsync("audit-writer");
        Assert.NotNull(subscription);
        Assert.Equal(TimeSpan.FromSeconds(60), subscription.AckDeadline);
    }

    [Fact]
    public async Task With_the_pub_sub_emulator_the_main_command_creates_audit_s_topics_once()
    {
        var (environment, host, project) = await EmulatorAsync();

        var first = await RunAsync(environment, "migrate", "--all");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.StartsWith($"Seeding 5 services (tenant, user, license, survey, audit) on sqlite:.seeding/seeding.db (Pub/Sub pubsub-emulator:{host}/projects/{project}), ", first.Output);
        var lines = first.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("    create            topic audit-events ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    create            topic audit-events-dead-letter ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    create            subscription audit-writer ", StringComparison.Ordinal));
        Assert.DoesNotContain("no target (topic", first.Output);
        await AssertAuditResourcesExistAsync(project);

        var second = await RunAsync(environment, "migrate", "--all");
        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        Assert.Contains("(0 applied, 12 already applied)", second.Output);
        Assert.DoesNotContain("topic audit-events", second.Output);
    }

    [Fact]
    public async Task A_run_with_the_emulator_after_one_without_creates_what_the_first_left_without_target()
    {
        var without = await RunAsync("migrate", "--all");
        Assert.True(without.ExitCode == ExitCodes.Ok, without.ToString());
        Assert.Contains("no target (topic, subscription): no Pub/Sub target", without.Output);

        var (environment, _, project) = await EmulatorAsync();
        var with = await RunAsync(environment, "migrate", "--all", "--output", "json");
        Assert.True(with.ExitCode == ExitCodes.Ok, with.ToString());
        using var json = JsonDocument.Parse(with.Output);
        var created = json.RootElement.GetProperty("services").EnumerateArray()
            .SelectMany(s => s.GetProperty("seeds").EnumerateArray())
            .SelectMany(s => s.GetProperty("resources").EnumerateArray())
            .Where(r => r.GetProperty("action").GetString() == "create")
            .Select(r => r.GetProperty("name").GetString())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["audit-events", "audit-events-dead-letter", "audit-writer"], created);
        await AssertAuditResourcesExistAsync(project);
    }

    [Fact]
    public async Task The_samples_index_file_is_the_golden_file_in_the_firebase_format()
    {
        var result = await RunAsync("indexes", "--file", "firestore.indexes.json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("Wrote firestore.indexes.json: 1 index, 1 field override from tenant, user, license, survey, audit.\n", result.Output);

        var written = await File.ReadAllTextAsync(Path.Combine(_workspace.Directory, "firestore.indexes.json"));
        IndexFileFormat.AssertValid(written);
        var golden = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "golden", "samples.firestore.indexes.json"));
        Assert.Equal(golden.Replace("\r\n", "\n"), written);

        var one = await RunAsync("indexes", "--file", "-", "--service", "audit");
        Assert.Equal("{\n  \"indexes\": [],\n  \"fieldOverrides\": []\n}\n", one.Output);
    }

    [Fact]
    public async Task Without_pub_sub_settings_the_samples_topics_and_indexes_are_reported_as_having_no_target()
    {
        var plan = await RunAsync("plan", "--all");
        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        var lines = plan.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("    no target         topic audit-events ", StringComparison.Ordinal) && l.EndsWith("migrations/pre/0002_audit_topics.yaml:3", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    no target         subscription audit-writer ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    no target         index users (tenant_id ascending, email ascending) ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("    no target (topic, subscription): no Pub/Sub target: set PUBSUB_EMULATOR_HOST", StringComparison.Ordinal));
        Assert.Contains("5 resources (5 no target)", plan.Output);

        var migrate = await RunAsync("migrate", "--all", "--output", "json");
        Assert.True(migrate.ExitCode == ExitCodes.Ok, migrate.ToString());
        using var json = JsonDocument.Parse(migrate.Output);
        var audit = json.RootElement.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "audit");
        var topics = audit.GetProperty("seeds").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "0002_audit_topics");
        Assert.Equal("applied", topics.GetProperty("outcome").GetString());
        Assert.Equal(["audit-events", "audit-events-dead-letter", "audit-writer"], topics.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.All(topics.GetProperty("resources").EnumerateArray(), r => Assert.Equal("no_target", r.GetProperty("action").GetString()));
    }
}
