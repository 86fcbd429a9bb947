using System.Diagnostics;
using System.Globalization;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// The backfill crash campaign of issue 18, in one place for the CI-sized xunit tests and the full-scale
/// <c>campaign</c> entry of <see cref="Program"/>: three runner processes share one backfill (the first takes the
/// migration lease and creates the partitions, the others join as workers); random live ones are killed with SIGKILL
/// at random moments while it runs and replaced, until it is done. Then: every process exited by the kill or on its
/// own with success, the migration is recorded once, the documents read again stay within one batch per kill (each
/// process works on one partition at a time), and the data equals an uninterrupted run's field by field.
/// </summary>
/// <param name="settings">The size.</param>
/// <param name="spec">The store the killed processes work on.</param>
/// <param name="reference">An empty store of the same kind for the uninterrupted run.</param>
/// <param name="directory">A scratch folder; the processes' exchange files go to a fresh folder in it.</param>
/// <param name="log">Where progress lines go.</param>
public sealed class BackfillCrashCampaign(BackfillCrashCampaignSettings settings, StoreSpec spec, StoreSpec reference, string directory, Action<string> log)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    private static readonly DocumentPath History =
        DocumentPath.Create(MigrationHistory.Collection, $"{BackfillCrashScenario.Service}:post:{BackfillCrashScenario.Migration.Id}");

    /// <summary>
    /// Runs the campaign. Invariants that do not hold are returned in <see cref="BackfillCrashCampaignResult.Failures"/>;
    /// a campaign that cannot go on (the backfill never starts, every worker stops, a wait outlasts
    /// <see cref="BackfillCrashCampaignSettings.Patience"/>) throws <see cref="BackfillCrashCampaignException"/>.
    /// </summary>
    public async Task<BackfillCrashCampaignResult> RunAsync(CancellationToken cancellationToken = default)
    {
        settings.Validate();
        var exchange = Directory.CreateDirectory(Path.Combine(directory, $"exchange-{Guid.NewGuid():N}")).FullName;
        var store = spec.Open();
        var clean = reference.Open();
        var workers = new List<Process>();
        try
        {
            log($"{spec.Kind}: {settings}; patience {settings.Patience.TotalSeconds:F0} s per wait");
            var clock = Stopwatch.StartNew();
            var loaded = await Task.WhenAll(
                BackfillCrashScenario.SetupAsync(store, settings.Documents, cancellationToken),
                BackfillCrashScenario.SetupAsync(clean, settings.Documents, cancellationToken));
            var matches = loaded[0];
            var setup = clock.Elapsed;
            log($"setup: {settings.Documents:N0} documents in each store in {setup.TotalSeconds:F1} s");

            clock.Restart();
            var (kills, signalled) = await KillWhileRunningAsync(store, exchange, workers, cancellationToken);
            await WaitForWorkersAsync(store, exchange, workers, cancellationToken);
            var backfill = clock.Elapsed;
            log($"backfill: done in {backfill.TotalSeconds:F1} s after {kills} kills; {workers.Count} processes started");

            var failures = new List<string>();
            CheckExits(workers, signalled, exchange, failures);
            await CheckRecordedOnceAsync(store, exchange, failures, cancellationToken);
            if (kills != settings.Kills)
            {
                failures.Add($"only {kills} of {settings.Kills} kills landed before the migration was recorded (the backfill took {backfill.TotalSeconds:F1} s): " +
                             (settings.SpreadKills ? "slow it down with a larger --pace-ms or more --documents." : "slow it down with a larger --pace-ms or kill sooner with a smaller --kill-gap-ms."));
            }

            // Read again: at most one batch per kill (one partition per process at a time); a late kill counts too.
            var reads = BackfillCrashScenario.ReadsLogged(exchange);
            var takeovers = BackfillCrashScenario.TakeoversLogged(exchange);
            var bound = settings.ReadAgainBound(signalled);
            log($"reads: {reads:N0} documents read for {matches:N0} matches: {reads - matches:N0} read again after {signalled} kills (bound {bound:N0}); {takeovers} takeovers");
            if (reads < matches || reads > matches + bound)
            {
                var stalls = takeovers > signalled
                    ? $" {takeovers} partitions were taken over for {signalled} kills: live workers stalled past their {BackfillCrashScenario.Lease.TotalSeconds} s partition lease (a loaded machine, or a long --pace-ms), and each such batch is read again too."
                    : string.Empty;
                failures.Add($"the workers read {reads:N0} documents for {matches:N0} matches: {reads - matches:N0} read again, outside 0..{bound:N0} (one batch of {settings.Batch} per kill).{stalls}");
            }

            clock.Restart();
            await new SeedRunner(clean, options: BackfillCrashScenario.Options("clean", clean, 499))
                .RunAsync(BackfillCrashScenario.Seeds(), RunRequest.PostDeploy(), cancellationToken);
            var uninterrupted = clock.Elapsed;
            log($"uninterrupted run: {uninterrupted.TotalSeconds:F1} s");

            clock.Restart();
            var comparison = await BackfillCrashComparison.CompareAsync(clean, store, cancellationToken);
            var compared = clock.Elapsed;
            log($"comparison: {comparison.Compared:N0} documents in {compared.TotalSeconds:F1} s");
            failures.AddRange(comparison.Failures);
            if (comparison.Migrated != matches)
            {
                failures.Add($"{comparison.Migrated:N0} documents are migrated, expected the {matches:N0} matches.");
            }

            var left = await new SeedRunner(store).GetBackfillsAsync(BackfillCrashScenario.Service, cancellationToken);
            if (left.Count > 0)
            {
                failures.Add($"{left.Count} backfill record(s) are left after the migration was recorded (they are deleted when it is).");
            }

            return new BackfillCrashCampaignResult(spec.Kind, settings.Documents, matches, kills, signalled, workers.Count, reads, bound, takeovers,
                comparison.Compared, comparison.Migrated, setup, backfill, uninterrupted, compared, failures);
        }
        finally
        {
            ConcurrencyTests.End(workers);
            (store as IDisposable)?.Dispose();
            (clean as IDisposable)?.Dispose();
        }
    }

    // Starts the processes, waits for the partitions, then kills a random live process after each random gap and
    // starts a replacement, until the kills are done or the migration is recorded. A kill counts as landed during the
    // backfill when its process died of it (exit 137) and the migration was still unrecorded after it died.
    private async Task<(int Kills, int Signalled)> KillWhileRunningAsync(IDocumentStore store, string exchange, List<Process> workers, CancellationToken cancellationToken)
    {
        Process Start() => ConcurrencyTests.StartWorker(["backfill", .. spec.ToArgs(), exchange, $"w{workers.Count}",
            settings.Batch.ToString(CultureInfo.InvariantCulture), settings.PaceMilliseconds.ToString(CultureInfo.InvariantCulture)]);
        for (var i = 0; i < BackfillCrashCampaignSettings.Processes; i++)
        {
            workers.Add(Start());
        }

        // Kill only while the backfill runs: after its partitions exist, before the migration is recorded.
        var deadline = DateTime.UtcNow + settings.Patience;
        while ((await store.QueryAsync(new DocumentQuery(BackfillRecords.CollectionOf(BackfillCrashScenario.Service), [], Limit: 1), cancellationToken)).Count == 0)
        {
            Fail(DateTime.UtcNow > deadline, $"the backfill did not start within {settings.Patience.TotalSeconds:F0} s: {ConcurrencyTests.Errors(exchange)}");
            Fail(workers.All(w => w.HasExited), "every worker stopped before the backfill started: " + ConcurrencyTests.Errors(exchange));
            await Task.Delay(20, cancellationToken);
        }

        log("backfill: partitions created; killing");
        var random = new Random();
        var moments = Enumerable.Range(0, settings.Kills).Select(_ => random.NextDouble() * BackfillCrashCampaignSettings.SpreadUpTo * settings.Matches).Order().ToArray();
        var kills = 0;
        var signalled = 0;
        while (kills < settings.Kills)
        {
            if (settings.SpreadKills)
            {
                // Then a random moment of a batch: right after the poll sees a commit, a worker is mostly reading its next page.
                await WaitForProgressAsync(store, moments[kills], exchange, cancellationToken);
                await Task.Delay(random.Next(0, settings.MaxKillGapMilliseconds + 1), cancellationToken);
            }
            else
            {
                await Task.Delay(random.Next(settings.MinKillGapMilliseconds, settings.MaxKillGapMilliseconds + 1), cancellationToken);
            }

            if (await RecordedAsync(store, cancellationToken))
            {
                break;
            }

            // A process ends on its own only once the migration is recorded, so one is alive until then.
            var victim = workers.Where(w => !w.HasExited).OrderBy(_ => random.Next()).FirstOrDefault();
            Fail(victim is null, "every worker stopped before the migration was recorded: " + ConcurrencyTests.Errors(exchange));
            victim!.Kill();
            await victim.WaitForExitAsync(cancellationToken).WaitAsync(settings.Patience, cancellationToken);
            if (victim.ExitCode != 137)
            {
                break; // it ended on its own first; its exit code is checked with the others
            }

            signalled++;
            workers.Add(Start());
            if (await RecordedAsync(store, cancellationToken))
            {
                break; // the kill may have come after the record: not counted as landed during the backfill
            }

            kills++;
            log($"kill {kills}/{settings.Kills}: pid {victim.Id}; {await ProgressAsync(store, cancellationToken)}");
        }

        return (kills, signalled);
    }

    // Waits until the backfill has updated at least `updated` documents in committed batches, or is recorded.
    private async Task WaitForProgressAsync(IDocumentStore store, double updated, string exchange, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.Patience;
        while ((await new SeedRunner(store).GetBackfillsAsync(BackfillCrashScenario.Service, cancellationToken)).FirstOrDefault() is { } status && status.Updated < updated)
        {
            Fail(DateTime.UtcNow > deadline, $"the backfill stalled below {updated:N0} updated documents for {settings.Patience.TotalSeconds:F0} s: {ConcurrencyTests.Errors(exchange)}");
            await Task.Delay(100, cancellationToken);
        }
    }

    // Waits for every process to end, printing the backfill's progress every few seconds.
    private async Task WaitForWorkersAsync(IDocumentStore store, string exchange, List<Process> workers, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.Patience;
        while (workers.Any(w => !w.HasExited))
        {
            Fail(DateTime.UtcNow > deadline, $"the workers did not finish within {settings.Patience.TotalSeconds:F0} s ({await ProgressAsync(store, cancellationToken)}): {ConcurrencyTests.Errors(exchange)}");
            var all = Task.WhenAll(workers.Where(w => !w.HasExited).Select(w => w.WaitForExitAsync(cancellationToken)));
            if (await Task.WhenAny(all, Task.Delay(ProgressEvery, cancellationToken)) != all)
            {
                log($"backfill: {await ProgressAsync(store, cancellationToken)}");
            }
        }
    }

    // Each process died of a kill (137) or ended on its own with success (0).
    private static void CheckExits(List<Process> workers, int signalled, string exchange, List<string> failures)
    {
        var exits = workers.Select(w => w.ExitCode).ToArray();
        if (exits.Count(c => c == 137) != signalled || exits.Count(c => c == 0) != workers.Count - signalled)
        {
            failures.Add($"exit codes {string.Join(",", exits)}: expected {signalled} × 137 (killed) and the rest 0. {ConcurrencyTests.Errors(exchange)}");
        }
    }

    // Recorded once: one history record, by exactly one of the processes that finished; the others saw it applied.
    private static async Task CheckRecordedOnceAsync(IDocumentStore store, string exchange, List<string> failures, CancellationToken cancellationToken)
    {
        var outcomes = Directory.GetFiles(exchange, "out-*").Select(File.ReadAllText).ToArray();
        var applied = outcomes.Count(o => o == nameof(SeedOutcome.Applied));
        if (applied != 1 || outcomes.Any(o => o is not nameof(SeedOutcome.Applied) and not nameof(SeedOutcome.AlreadyApplied)))
        {
            failures.Add($"the finished processes reported [{string.Join(", ", outcomes)}]: expected Applied once, AlreadyApplied otherwise.");
        }

        var history = await RaceScenario.AllAsync(store, MigrationHistory.Collection);
        if (history.Count != 1 || history[0].Path != History)
        {
            failures.Add($"the history holds [{string.Join(", ", history.Select(h => h.Path.Id))}]: expected {History.Id} once.");
        }
    }

    private static async Task<bool> RecordedAsync(IDocumentStore store, CancellationToken cancellationToken) =>
        (await store.GetAllAsync([History], cancellationToken))[0].Exists;

    private static async Task<string> ProgressAsync(IDocumentStore store, CancellationToken cancellationToken)
    {
        var status = (await new SeedRunner(store).GetBackfillsAsync(BackfillCrashScenario.Service, cancellationToken)).FirstOrDefault();
        return status is null
            ? "no backfill records (the migration is recorded)"
            : string.Create(CultureInfo.InvariantCulture, $"{status.Updated:N0} updated in committed batches, {status.Done}/{status.PartitionCount} partitions done, {status.Partitions.Sum(p => p.Takeovers)} takeovers");
    }

    private static void Fail(bool condition, string message)
    {
        if (condition)
        {
            throw new BackfillCrashCampaignException(message);
        }
    }

}

/// <summary>A crash campaign that could not go on: what stopped it and what was seen.</summary>
public sealed class BackfillCrashCampaignException(string message) : Exception(message);
