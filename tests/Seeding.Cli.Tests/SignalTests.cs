using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Seeding.Cli.Tests;

/// <summary>
/// The real tool as a process, stopped by a signal in the middle of a long migration on the SQLite store: SIGTERM
/// (what Kubernetes, Cloud Run and systemd send) does what Ctrl+C does. The run stops between batches, releases the
/// lease, prints the report (the interrupted file with what it wrote, pending) and exits 130.
/// </summary>
public sealed class SignalTests : IDisposable
{
    // Long enough that a run is never near its end when the signal comes: 300 batches, 100 ms apart.
    private const string SlowDelayMs = "100";

    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static string ToolPath => typeof(SignalTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SeedingToolPath").Value!;

    private static string ServiceAssembly => typeof(TestRegistry).Assembly.Location;

    [Theory]
    [InlineData("SIGTERM", "text")]
    [InlineData("SIGTERM", "json")]
    [InlineData("SIGINT", "json")]
    public async Task A_signal_during_a_long_migration_stops_it_releases_the_lease_and_reports_the_interrupted_file(string signal, string output)
    {
        var stopped = await RunAndSignalAsync(signal, "--assembly", ServiceAssembly, "migrate", "--output", output);

        Assert.True(stopped.ExitCode == ExitCodes.Cancelled, stopped.ToString());
        int written;
        if (output == "json")
        {
            var root = JsonDocument.Parse(stopped.Output).RootElement;
            Assert.Equal(ExitCodes.Cancelled, root.GetProperty("exitCode").GetInt32());
            var service = root.GetProperty("services")[0];
            Assert.Equal("cancelled", service.GetProperty("status").GetString());
            var seed = Assert.Single(service.GetProperty("seeds").EnumerateArray());
            Assert.Equal("cancelled", seed.GetProperty("outcome").GetString());
            written = seed.GetProperty("created").GetInt32();
            Assert.Equal(written, root.GetProperty("totals").GetProperty("created").GetInt32());
            Assert.Equal(1, root.GetProperty("totals").GetProperty("services").GetInt32());
            Assert.Contains("stays pending", service.GetProperty("error").GetString());
        }
        else
        {
            Assert.Contains("Cancelled: importer pre/0001_import (Migrations/Pre/0001_import.cs, code).", stopped.Output);
            var line = stopped.Output.Split('\n').Single(l => l.StartsWith("  The ", StringComparison.Ordinal) && l.Contains("documents it wrote stay", StringComparison.Ordinal));
            written = int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("pre/0001_import is still pending (not recorded in history): the next run applies it again", stopped.Output);
            Assert.Contains("Total: 1 service, 1 seed file (0 applied, 0 already applied, 1 cancelled)", stopped.Output);
        }

        // Between batches: whole batches of 100, at least the first, and far from all of them.
        Assert.True(written >= 100 && written % 100 == 0 && written < SlowServices.Batches * 100, $"{written} documents written");

        // The lease was released: the next run takes it at once (with a 2 s wait allowed, far below the 30 s TTL)
        // and finishes the migration, skipping what the interrupted run wrote.
        var clock = Stopwatch.StartNew();
        var next = await DotnetProcess.RunAsync(ToolPath, _workspace.Directory, new Dictionary<string, string> { [TestRegistry.SlowVariable] = "0" },
            "--assembly", ServiceAssembly, "migrate", "--lock-timeout", "2", "--output", "json");
        Assert.True(next.ExitCode == ExitCodes.Ok, next.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"the next run took {clock.Elapsed}");
        var seedNext = JsonDocument.Parse(next.Output).RootElement.GetProperty("services")[0].GetProperty("seeds")[0];
        Assert.Equal("applied", seedNext.GetProperty("outcome").GetString());
        Assert.Equal(written, seedNext.GetProperty("skipped").GetInt32());
        Assert.Equal(SlowServices.Batches * 100 - written, seedNext.GetProperty("created").GetInt32());
    }

    // Starts the tool with the slow service, waits until its first batch has landed (it holds the lease by then),
    // sends the signal, and waits for it to exit.
    private async Task<CliResult> RunAndSignalAsync(string signal, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _workspace.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "FIRESTORE_EMULATOR_HOST", "FIRESTORE_PROJECT_ID", "PUBSUB_EMULATOR_HOST", "PUBSUB_PROJECT_ID", "MIGRATION_PHASE", "DRY_RUN" })
        {
            start.Environment.Remove(name);
        }

        start.Environment[TestRegistry.SlowVariable] = SlowDelayMs;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (error)
                {
                    error.AppendLine(line);
                }

                if (line == SlowMigration.FirstBatchWritten)
                {
                    started.TrySetResult();
                }
            }

            started.TrySetResult(); // ended before it started: the assertions say why
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await started.Task.WaitAsync(timeout.Token);
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal.Replace("SIG", string.Empty, StringComparison.Ordinal), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!)
            {
                await kill.WaitForExitAsync(timeout.Token);
            }

            await process.WaitForExitAsync(timeout.Token);
            await reading.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The tool did not stop within 2 minutes of {signal}: {error}");
        }

        return new CliResult(process.ExitCode, (await output).Replace("\r\n", "\n"), error.ToString().Replace("\r\n", "\n"));
    }
}
