using Microsoft.Data.Sqlite;

namespace Seeding.Packaging.Tests;

/// <summary>
/// The root Makefile keeps the seed's commands: `make migrate SERVICE=... [PHASE=...] [DRY_RUN=true]` and
/// `make dev-migrate` call the samples' command line (seeds/Samples.Host), the same one the README runs.
/// </summary>
public sealed class MakefileTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "seeding-make-" + Guid.NewGuid().ToString("N")[..12]);

    public MakefileTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Migrate_passes_service_phase_and_dry_run_to_the_samples_command_line()
    {
        var result = await Make("-n", "migrate", "SERVICE=user", "PHASE=pre", "DRY_RUN=true");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("dotnet run --project seeds/Samples.Host -- migrate --service user --phase pre --dry-run", result.Output);

        var staging = await Make("-n", "migrate", "SERVICE=tenant", "ENVIRONMENT=staging");
        Assert.Contains("-- migrate --service tenant", staging.Output);
        Assert.Contains("--environment staging", staging.Output);
        Assert.DoesNotContain("--phase", staging.Output);

        var all = await Make("-n", "dev-migrate");
        Assert.Contains("dotnet run --project seeds/Samples.Host -- migrate --all", all.Output);
        Assert.DoesNotContain("--dry-run", all.Output);
    }

    [Fact]
    public async Task Migrate_without_a_service_says_what_is_missing()
    {
        var result = await Make("migrate");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("make migrate needs SERVICE=<name>", result.Output);
    }

    [Fact]
    public async Task Dev_migrate_seeds_every_sample_in_dependency_order_and_a_second_run_applies_nothing()
    {
        var database = Path.Combine(_directory, "seeding.db");
        var seeding = $"SEEDING={Processes.Dotnet} {RepositoryInfo.SamplesHost}";

        var dryRun = await Make("dev-migrate", seeding, $"DATABASE={database}", "DRY_RUN=true");
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.False(File.Exists(database) && Count(database) > 0, "a dry run wrote documents");

        var first = await Make("dev-migrate", seeding, $"DATABASE={database}");
        Assert.True(first.ExitCode == 0, first.ToString());
        var order = new[] { "tenant", "user", "license", "survey", "audit" }.Select(s => first.Output.IndexOf(s, StringComparison.Ordinal)).ToArray();
        Assert.True(order.All(i => i >= 0) && order.SequenceEqual(order.Order()), $"services not in dependency order:\n{first}");
        var documents = Count(database);
        Assert.True(documents > 0, first.ToString());

        var pre = await Make("migrate", seeding, "SERVICE=tenant", "PHASE=pre", $"DATABASE={database}");
        Assert.True(pre.ExitCode == 0, pre.ToString());
        Assert.Equal(documents, Count(database));
    }

    private static long Count(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM seeding_documents";
        return (long)command.ExecuteScalar()!;
    }

    private Task<ProcessResult> Make(params string[] arguments) => Processes.RunAsync(
        "make",
        ["--no-print-directory", "-C", RepositoryInfo.Root, .. arguments],
        _directory,
        new Dictionary<string, string?> { ["DRY_RUN"] = null, ["MIGRATION_PHASE"] = null, ["FIRESTORE_EMULATOR_HOST"] = null, ["FIRESTORE_PROJECT_ID"] = null, ["PUBSUB_EMULATOR_HOST"] = null, ["PUBSUB_PROJECT_ID"] = null },
        Timeout);
}
