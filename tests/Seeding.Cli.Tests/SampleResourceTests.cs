using System.Reflection;
using System.Text.Json;

namespace Seeding.Cli.Tests;

/// <summary>
/// The README's commands on the samples' host (seeds/Samples.Host, a process): audit's 0002_audit_topics and user's
/// 0003_user_indexes are reported as having no target without Pub/Sub and index settings, and `indexes` writes the
/// samples' index file, byte for byte the committed golden file.
/// </summary>
public sealed class SampleResourceTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    internal static string SamplesHost => typeof(SampleResourceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SamplesHostPath").Value!;

    private Task<CliResult> RunAsync(params string[] args) => DotnetProcess.RunAsync(SamplesHost, _workspace.Directory, null, args);

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
