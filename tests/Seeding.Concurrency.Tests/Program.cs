using Seeding.Running;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// The test assembly's entry point. The test runner never calls it; the tests start this assembly with
/// <c>dotnet exec</c> to get real, separate runner processes on one store (the pattern of the SQLite tests'
/// cross-process worker). Workers talk through files in an exchange directory. <c>campaign</c> is for people: the
/// backfill crash campaign at full scale (<see cref="BackfillCrashCampaignCommand"/>), e.g.
/// <c>dotnet run -c Release --project tests/Seeding.Concurrency.Tests -- campaign --store firestore --documents 100000 --kills 20</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["race", var kind, var target, var project, var worker, var exchange]:
                return await GuardAsync(exchange, worker, () => RaceAsync(StoreSpec.FromArgs(kind, target, project), worker, exchange));
            case ["hold", var kind, var target, var project, var exchange]:
                return await GuardAsync(exchange, "hold", () => HoldAsync(StoreSpec.FromArgs(kind, target, project), exchange));
            case ["crash", var kind, var target, var project, var exchange, var killPoint]:
                return await GuardAsync(exchange, "crash", () => CrashAsync(StoreSpec.FromArgs(kind, target, project), Enum.Parse<KillPoint>(killPoint), exchange));
            case ["backfill", var kind, var target, var project, var exchange, var name, var batch, var paceMs]:
                return await GuardAsync(exchange, name, () => BackfillCrashScenario.RunWorkerAsync(
                    StoreSpec.FromArgs(kind, target, project), exchange, name, int.Parse(batch, System.Globalization.CultureInfo.InvariantCulture),
                    TimeSpan.FromMilliseconds(int.Parse(paceMs, System.Globalization.CultureInfo.InvariantCulture))));
            case ["campaign", .. var options]:
                return await BackfillCrashCampaignCommand.RunAsync(options);
            default:
                return 0;
        }
    }

    /// <summary>Options of every runner in these tests: a distinct owner, and a short poll so eight runners take turns quickly.</summary>
    public static SeedRunnerOptions RunnerOptions(string owner) => new()
    {
        Owner = owner,
        LockPollInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>The lease of the kill test: 2 s, renewed every 0.67 s while the holder lives.</summary>
    public static SeedRunnerOptions ShortLease(string owner) => RunnerOptions(owner) with { LockTtl = TimeSpan.FromSeconds(2) };

    // Writes ready-N, waits for `go`, runs the race service once, writes its report lines to out-N.
    private static async Task RaceAsync(StoreSpec spec, string worker, string exchange)
    {
        var store = spec.Open();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(exchange, $"ready-{worker}"), "ready");
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!File.Exists(Path.Combine(exchange, "go")))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("No go file after two minutes.");
                }

                await Task.Delay(5);
            }

            var report = await new SeedRunner(store, options: RunnerOptions($"process-{worker}")).RunAsync(RaceScenario.Seeds(), RunRequest.All());
            await File.WriteAllLinesAsync(Path.Combine(exchange, $"out-{worker}"), SeedLine.From(report).Select(l => l.ToString()));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    // Runs the hold service with a 2 s lease; it blocks inside migration 0002 (holding the lease) until killed.
    private static async Task HoldAsync(StoreSpec spec, string exchange)
    {
        var store = spec.Open();
        try
        {
            await new SeedRunner(store, options: ShortLease("victim")).RunAsync(RaceScenario.Holding(exchange), RunRequest.PreDeploy());
            await File.WriteAllTextAsync(Path.Combine(exchange, "out-hold"), "finished");
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    // Runs the crash service over a store that kills this process at the kill point; writes out-crash only if it was not killed.
    private static async Task CrashAsync(StoreSpec spec, KillPoint killPoint, string exchange)
    {
        var store = spec.Open();
        try
        {
            await new SeedRunner(new CrashingStore(store, killPoint), options: CrashScenario.Lease("crashing")).RunAsync(CrashScenario.Seeds(), RunRequest.PreDeploy());
            await File.WriteAllTextAsync(Path.Combine(exchange, "out-crash"), "finished without being killed");
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private static async Task<int> GuardAsync(string exchange, string worker, Func<Task> work)
    {
        try
        {
            await work();
            return 0;
        }
        catch (Exception e)
        {
            await File.WriteAllTextAsync(Path.Combine(exchange, $"error-{worker}"), e.ToString());
            return 1;
        }
    }
}
