using System.Diagnostics;
using System.Text.RegularExpressions;
using Seeding.Documents;
using Seeding.Sqlite;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Hosting.Tests;

/// <summary>
/// The sample service (seeds/Samples.Service: the `dotnet new web` template plus AddSeeding, ending in the template's
/// plain app.Run()) started as a real process on one SQLite file: it bootstraps once, says which migrations it left
/// pending, and a failed start is logged once, without a stack trace, and exits 1.
/// </summary>
public sealed partial class SampleServiceProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("seeding-service-").FullName;

    private string Database => Path.Combine(_directory, "service.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_service_bootstraps_on_its_first_start_and_writes_nothing_on_the_second()
    {
        var first = await StartAsync(["--once"]);
        var afterFirst = await ReadAsync("users/system");
        var second = await StartAsync(["--once"]);
        var afterSecond = await ReadAsync("users/system");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("user service started", first.Output);
        Assert.Contains("seeding: Degraded", second.Output); // pre-deploy migrations are left to the pipeline, so they show as pending
        Assert.True(afterFirst.Exists);
        Assert.Equal("system@platform.invalid", afterFirst.Fields["email"].AsString());
        Assert.Equal(afterFirst.UpdateTime, afterSecond.UpdateTime);
    }

    [Fact]
    public async Task A_start_that_leaves_migrations_pending_says_so_in_one_line_with_the_command()
    {
        var started = await StartAsync(["--once"]);

        Assert.True(started.ExitCode == 0, started.ToString());
        const string line = "user: 4 migrations are pending and this host runs only bootstrap: pre/0001_user_statuses, pre/0003_user_indexes, " +
            "post/0001_backfill_timestamps, post/0002_migrate_consents. Apply them with `seeding migrate --phase pre` (before the deploy), " +
            "then `seeding migrate --phase post` (after it), or set Seeding:Phases or MIGRATION_PHASE to apply them on startup.";
        Assert.Equal(1, Occurrences(started.Output, line));
        Assert.Equal(1, Occurrences(started.Output, "migrations are pending"));
    }

    [Fact]
    public async Task A_bad_setting_is_logged_once_without_a_stack_trace_and_the_process_exits_1()
    {
        var failed = await StartAsync([], ("MIGRATION_PHASE", "during"));

        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Equal(1, Occurrences(failed.Output, "MIGRATION_PHASE is 'during', which is not a phase"));
        Assert.Contains("Startup seeding of user failed, so the host stops (exit code 1): MIGRATION_PHASE is 'during'", failed.Output);
        AssertNoStackTraceNorHostReport(failed);
    }

    [Fact]
    public async Task A_drifted_migration_stops_a_pre_deploy_start_once_and_is_an_error_under_the_default_phases()
    {
        var applied = await StartAsync(["--once"], ("MIGRATION_PHASE", "pre"));
        Assert.True(applied.ExitCode == 0, applied.ToString());
        await EditHistoryChecksumAsync("seeding_history/user:pre:0001_user_statuses", "sha256:edited");

        var refused = await StartAsync([], ("MIGRATION_PHASE", "pre"));
        var started = await StartAsync(["--once"]);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Equal(1, Occurrences(refused.Output, "applied migration(s) changed after they were applied"));
        Assert.Contains("migrations/pre/0001_user_statuses.yaml: applied with sha256:edited", refused.Output);
        AssertNoStackTraceNorHostReport(refused);

        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Equal(1, Occurrences(started.Output, "applied migration(s) changed after they were applied"));
        Assert.Matches(@"fail: Seeding\.Hosting\.SeedingHostedService\[6\]\s+user: 1 applied migration\(s\) changed after they were applied: migrations/pre/0001_user_statuses\.yaml\.", started.Output);
        Assert.Contains("seeding: Unhealthy", started.Output);
    }

    private static void AssertNoStackTraceNorHostReport(ProcessResult result)
    {
        Assert.DoesNotMatch(StackFrame(), result.Output);
        Assert.DoesNotContain("Hosting failed to start", result.Output);
        Assert.DoesNotContain("Unhandled exception", result.Output);
        Assert.DoesNotContain("Exception:", result.Output); // no exception printout at all
    }

    [GeneratedRegex(@"^\s+at \S+", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    private static int Occurrences(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    private static string ServiceDll()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Seeding.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("Seeding.sln not found above the test assembly.");
        }

        var dll = Path.Combine(root, "seeds", "Samples.Service", "bin", configuration, "net10.0", "Samples.Service.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build seeds/Samples.Service first: {dll} is missing.");
    }

    /// <summary>Starts the service on this test's SQLite file and waits for it to end (it stops by itself after --once or a failed start).</summary>
    private async Task<ProcessResult> StartAsync(string[] args, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory };
        foreach (var arg in new[] { "exec", ServiceDll() }.Concat(args).Append($"--Seeding:Sqlite:Path={Database}"))
        {
            start.ArgumentList.Add(arg);
        }

        // The machine's own settings must not steer the sample to another store or phase.
        foreach (var name in new[] { "FIRESTORE_EMULATOR_HOST", "FIRESTORE_PROJECT_ID", "FIRESTORE_DATABASE", "PUBSUB_EMULATOR_HOST", "PUBSUB_PROJECT_ID", "MIGRATION_PHASE", "DRY_RUN", "ASPNETCORE_ENVIRONMENT" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0"; // a free port on loopback only
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var result = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(60), "the service");
        return new ProcessResult(result.ExitCode, result.Output + result.Error);
    }

    private async Task EditHistoryChecksumAsync(string path, string checksum)
    {
        await using var store = await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(Database));
        Assert.True((await store.GetAllAsync([DocumentPath.Parse(path)]))[0].Exists, $"no history record {path}");
        await store.CommitAsync([DocumentWrite.Merge(DocumentPath.Parse(path), new Dictionary<string, Value> { ["checksum"] = Value.String(checksum) })]);
    }

    private async Task<DocumentSnapshot> ReadAsync(string path)
    {
        await using var store = await SqliteDocumentStore.OpenAsync(new SqliteStoreOptions(Database));
        return (await store.GetAllAsync([DocumentPath.Parse(path)]))[0];
    }

    private sealed record ProcessResult(int ExitCode, string Output)
    {
        public override string ToString() => $"exit code {ExitCode}\n{Output}";
    }
}
