using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Running;

/// <summary>
/// Applies a service's seed files to a store: pending migrations once each (recorded in history with their
/// checksum), bootstrap seeds on every run (check-then-create). Round trips are counted by design: one batched
/// read covers the history and every bootstrap document, a second one the documents of pending migrations, and
/// writes go out in batches of the store's batch size.
/// </summary>
public sealed partial class SeedRunner
{
    private static readonly SeedPhase[] PhaseOrder = [SeedPhase.Pre, SeedPhase.Bootstrap, SeedPhase.Post];

    private readonly IDocumentStore _store;
    private readonly ILogger _logger;
    private readonly SeedRunnerOptions _options;

    /// <summary>Creates a runner over a store.</summary>
    public SeedRunner(IDocumentStore store, ILogger<SeedRunner>? logger = null, SeedRunnerOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _options = options ?? new SeedRunnerOptions();
    }

    /// <summary>Reads where every migration of the service stands (one batched read; writes nothing).</summary>
    public async Task<IReadOnlyList<MigrationStatus>> GetStatusAsync(ServiceSeeds service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        var migrations = service.Seeds.Where(s => s.IsMigration).ToArray();
        var snapshots = await ReadAsync(migrations.Select(m => MigrationHistory.PathOf(service.Service, m)), cancellationToken).ConfigureAwait(false);
        return migrations.Select(m => MigrationHistory.StatusOf(m, snapshots[MigrationHistory.PathOf(service.Service, m)])).ToArray();
    }

    /// <summary>Runs the requested phases of a service.</summary>
    /// <exception cref="MigrationDriftException">An applied migration changed; nothing was written.</exception>
    public async Task<RunReport> RunAsync(ServiceSeeds service, RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        using var activity = SeedingTelemetry.ActivitySource.StartActivity("seeding.run");
        activity?.SetTag("seeding.service", service.Service);
        activity?.SetTag("seeding.dry_run", request.DryRun);
        var seeds = PhaseOrder.Where(request.Phases.Contains).SelectMany(service.InPhase).ToArray();
        LogRunStarting(service.Service, seeds.Length, _store.Name, request.DryRun);

        // Read 1: the history of every migration and every bootstrap document, in one round trip.
        var migrations = seeds.Where(s => s.IsMigration).ToArray();
        var bootstrap = seeds.Where(s => !s.IsMigration).ToArray();
        var firstRead = await ReadAsync(
            migrations.Select(m => MigrationHistory.PathOf(service.Service, m)).Concat(bootstrap.SelectMany(SeedPlanner.PathsOf)),
            cancellationToken).ConfigureAwait(false);

        var statuses = migrations.ToDictionary(m => m, m => MigrationHistory.StatusOf(m, firstRead[MigrationHistory.PathOf(service.Service, m)]));
        ThrowIfDrifted(service.Service, statuses.Values);

        // Migrations run once: pending ones are applied under the service's lease lock, and the pending list is
        // read again inside it, because another replica may have applied them while we waited.
        var pending = migrations.Where(m => statuses[m].State == MigrationState.Pending).ToArray();
        LeaseLock? lease = null;
        if (pending.Length > 0 && !request.DryRun)
        {
            lease = await LeaseLock.AcquireAsync(_store, service.Service, _options, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // Read 2 (only when something is pending): inside the lock, the pending migrations' history again and
            // their documents, in one round trip.
            var snapshots = new Dictionary<DocumentPath, DocumentSnapshot>(firstRead);
            if (pending.Length > 0)
            {
                var historyPaths = lease is null ? [] : pending.Select(m => MigrationHistory.PathOf(service.Service, m));
                var second = await ReadAsync(historyPaths.Concat(pending.SelectMany(SeedPlanner.PathsOf)), cancellationToken).ConfigureAwait(false);
                foreach (var (path, snapshot) in second)
                {
                    snapshots[path] = snapshot;
                }

                foreach (var migration in pending)
                {
                    statuses[migration] = MigrationHistory.StatusOf(migration, snapshots[MigrationHistory.PathOf(service.Service, migration)]);
                }

                ThrowIfDrifted(service.Service, statuses.Values);
            }

            var reports = new List<SeedReport>(seeds.Length);
            for (var i = 0; i < seeds.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var seed = seeds[i];
                request.Progress?.Report(new SeedProgress(service.Service, seed, i + 1, seeds.Length, null));
                var report = seed.IsMigration && statuses[seed].State == MigrationState.Applied
                    ? new SeedReport { Seed = seed, Outcome = SeedOutcome.AlreadyApplied, Plan = [] }
                    : await ApplyAsync(service.Service, seed, snapshots, request.DryRun, lease, cancellationToken).ConfigureAwait(false);
                LogSeedDone(service.Service, seed.ToString(), report.Outcome, report.Created, report.Skipped, report.Updated);
                Record(service.Service, report);
                reports.Add(report);
                request.Progress?.Report(new SeedProgress(service.Service, seed, i + 1, seeds.Length, report));
            }

            var result = new RunReport(service.Service, request.DryRun, reports, clock.Elapsed);
            LogRunDone(service.Service, result.Created, result.Skipped, result.Updated, (long)result.Duration.TotalMilliseconds);
            SeedingTelemetry.RunDuration.Record(result.Duration.TotalSeconds, new KeyValuePair<string, object?>("seeding.service", service.Service));
            return result;
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Record(string service, SeedReport report)
    {
        var serviceTag = new KeyValuePair<string, object?>("seeding.service", service);
        SeedingTelemetry.Seeds.Add(1, serviceTag, new("seeding.outcome", report.Outcome.ToString()));
        foreach (var group in report.Plan.GroupBy(p => p.Action))
        {
            SeedingTelemetry.Documents.Add(group.Count(), serviceTag, new("seeding.phase", report.Seed.Phase.ToString()), new("seeding.action", group.Key.ToString()));
        }
    }

    private void ThrowIfDrifted(string service, IEnumerable<MigrationStatus> statuses)
    {
        var drifted = statuses.Where(s => s.State == MigrationState.Drifted).OrderBy(s => s.Seed.Phase).ThenBy(s => s.Seed.Id, StringComparer.Ordinal).ToArray();
        if (drifted.Length > 0)
        {
            var error = new MigrationDriftException(service, drifted);
            LogDrift(error, service, drifted.Length);
            throw error;
        }
    }

    private async Task<SeedReport> ApplyAsync(
        string service, SeedDefinition seed, Dictionary<DocumentPath, DocumentSnapshot> snapshots, bool dryRun, LeaseLock? lease, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var activity = SeedingTelemetry.ActivitySource.StartActivity("seeding.seed");
        activity?.SetTag("seeding.seed", seed.ToString());
        var planned = SeedPlanner.Plan(seed, snapshots);
        var plan = planned.Select(p => p.Plan).ToList();

        // Later files in this run see what this one writes, so a dry run's plan is exact across files too.
        SeedPlanner.Simulate(snapshots, planned.Select(p => p.Write));
        if (dryRun)
        {
            return Summarise(seed, SeedOutcome.Planned, plan, clock.Elapsed);
        }

        var writes = planned.Where(p => p.Write is not null).Select(p => p.Write!).ToArray();
        foreach (var batch in writes.Chunk(_store.MaxBatchSize))
        {
            lease?.ThrowIfLost();
            var outcomes = await _store.WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            foreach (var lost in outcomes.Where(o => !o.Applied))
            {
                // A create-only precondition failed: someone created the document since we read. Never overwrite.
                var index = plan.FindIndex(p => p.Path == lost.Path);
                plan[index] = plan[index] with { Action = PlanAction.SkipExists };
                LogConcurrentCreate(service, lost.Path.ToString());
            }
        }

        var report = Summarise(seed, seed.IsMigration ? SeedOutcome.Applied : SeedOutcome.Ensured, plan, clock.Elapsed);
        if (seed.IsMigration)
        {
            await RecordAsync(service, report, lease!, cancellationToken).ConfigureAwait(false);
        }

        return report;
    }

    // The history record and a renewal of the lease commit atomically: a runner that lost its lease records nothing.
    private async Task RecordAsync(string service, SeedReport report, LeaseLock lease, CancellationToken cancellationToken)
    {
        var record = MigrationHistory.Record(service, report, lease.Token);
        try
        {
            await lease.CommitHoldingAsync(async renew =>
            {
                var outcomes = await _store.CommitAsync([record, renew], cancellationToken).ConfigureAwait(false);
                lease.Renewed(outcomes[1].UpdateTime!.Value);
                return outcomes;
            }).ConfigureAwait(false);
        }
        catch (PreconditionFailedException e) when (e.Path == record.Path)
        {
            // Another runner applied the same migration at the same time and recorded it first. Its creates
            // and ours were guarded by preconditions, so the data holds one copy; the history keeps one entry.
            LogRecordedElsewhere(service, report.Seed.ToString());
        }
    }

    private static SeedReport Summarise(SeedDefinition seed, SeedOutcome outcome, IReadOnlyList<PlannedWrite> plan, TimeSpan duration) => new()
    {
        Seed = seed,
        Outcome = outcome,
        Plan = plan,
        Created = plan.Count(p => p.Action == PlanAction.Create),
        Skipped = plan.Count(p => p.Action is PlanAction.SkipExists or PlanAction.SkipUnchanged),
        Updated = plan.Count(p => p.Action == PlanAction.Update),
        Duration = duration,
    };

    private async Task<IReadOnlyDictionary<DocumentPath, DocumentSnapshot>> ReadAsync(IEnumerable<DocumentPath> paths, CancellationToken cancellationToken)
    {
        var distinct = paths.Distinct().ToArray();
        if (distinct.Length == 0)
        {
            return new Dictionary<DocumentPath, DocumentSnapshot>();
        }

        var snapshots = await _store.GetAllAsync(distinct, cancellationToken).ConfigureAwait(false);
        return snapshots.ToDictionary(s => s.Path);
    }

    [LoggerMessage(1, LogLevel.Information, "Seeding {Service}: {Count} seed file(s) on {Store}{DryRunSuffix}")]
    private partial void LogRunStarting(string service, int count, string store, string dryRunSuffix);

    private void LogRunStarting(string service, int count, string store, bool dryRun) =>
        LogRunStarting(service, count, store, dryRun ? " (dry run: nothing is written)" : string.Empty);

    [LoggerMessage(2, LogLevel.Information, "{Service} {Seed}: {Outcome}, {Created} created, {Skipped} skipped, {Updated} updated")]
    private partial void LogSeedDone(string service, string seed, SeedOutcome outcome, int created, int skipped, int updated);

    [LoggerMessage(3, LogLevel.Information, "Seeding {Service} done: {Created} created, {Skipped} skipped, {Updated} updated in {Milliseconds} ms")]
    private partial void LogRunDone(string service, int created, int skipped, int updated, long milliseconds);

    [LoggerMessage(4, LogLevel.Error, "Seeding {Service} refused: {Count} applied migration(s) drifted")]
    private partial void LogDrift(Exception exception, string service, int count);

    [LoggerMessage(5, LogLevel.Information, "{Service}: {Path} was created by another runner meanwhile; skipped, not overwritten")]
    private partial void LogConcurrentCreate(string service, string path);

    [LoggerMessage(6, LogLevel.Information, "{Service} {Seed}: another runner recorded this migration first")]
    private partial void LogRecordedElsewhere(string service, string seed);
}
