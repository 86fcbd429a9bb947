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
    /// <summary>
    /// The order phases run in, whatever order a request lists them: pre-deploy migrations, bootstrap seeds,
    /// post-deploy migrations (bootstrap data may be what post-deploy backfills read).
    /// </summary>
    public static IReadOnlyList<SeedPhase> PhaseOrder { get; } = [SeedPhase.Pre, SeedPhase.Bootstrap, SeedPhase.Post];

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
        var retriesBefore = RetryCount;
        var rampWaitBefore = RampWait;
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
        var run = new RunState(service.Service, request, new Dictionary<DocumentPath, DocumentSnapshot>(firstRead), cancellationToken);
        if (pending.Length > 0 && !request.DryRun)
        {
            await EnsureLeaseAsync(run, pending.Select(LeaseLock.KeyOf)).ConfigureAwait(false);
        }

        try
        {
            // Read 2 (only when something is pending): inside the lock, the pending migrations' history again and
            // their documents, in one round trip. Many documents are streamed instead: read chunk by chunk as applied.
            if (pending.Length > 0)
            {
                // (The first chunk rides along with the history, so a single large step costs as many reads as before.)
                run.Streamed = pending.Sum(SeedPlanner.KeyedDocumentCount) > SeedPlanner.StreamAbove;
                var historyPaths = run.Lease is null ? [] : pending.Select(m => MigrationHistory.PathOf(service.Service, m)).ToArray();
                var documentPaths = pending.SelectMany(SeedPlanner.PathsOf);
                var second = await ReadAsync(historyPaths.Concat(run.Streamed ? documentPaths.Take(SeedPlanner.StreamChunk - historyPaths.Length) : documentPaths), cancellationToken).ConfigureAwait(false);
                foreach (var (path, snapshot) in second)
                {
                    run.Snapshots[path] = snapshot;
                }

                foreach (var migration in pending)
                {
                    statuses[migration] = MigrationHistory.StatusOf(migration, run.Snapshots[MigrationHistory.PathOf(service.Service, migration)]);
                    if (statuses[migration].State == MigrationState.Applied && run.Lease is not null)
                    {
                        await run.Lease.ForgetAsync(LeaseLock.KeyOf(migration), cancellationToken).ConfigureAwait(false); // applied by another runner while we waited
                    }
                }

                ThrowIfDrifted(service.Service, statuses.Values);
            }

            var reports = new List<SeedReport>(seeds.Length);
            for (var i = 0; i < seeds.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var seed = seeds[i];
                request.Progress?.Report(new SeedProgress(service.Service, seed, i + 1, seeds.Length, null));
                SeedReport report;
                try
                {
                    report = !seed.IsMigration || statuses[seed].State != MigrationState.Applied
                        ? await ApplyAsync(run, seed).ConfigureAwait(false)
                        : statuses[seed].ResourcesWithoutTarget.Count > 0
                            ? await ApplyAsync(run, seed, statuses[seed]).ConfigureAwait(false)
                            : new SeedReport { Seed = seed, Outcome = SeedOutcome.AlreadyApplied, Plan = [] };
                }
                catch (SeedFailedException failed)
                {
                    // The caller gets what this run did so far, the failed file included; it logs the failure (we do not,
                    // so a failure is logged once, by whoever handles it).
                    RecordMetrics(service.Service, failed.Report);
                    reports.Add(failed.Report);
                    request.Progress?.Report(new SeedProgress(service.Service, seed, i + 1, seeds.Length, failed.Report));
                    throw new SeedRunException(new RunReport(service.Service, request.DryRun, reports, clock.Elapsed)
                    {
                        Retries = RetryCount - retriesBefore, WriteRampActive = RampActive, WriteRampWait = RampWait - rampWaitBefore,
                    });
                }

                LogSeedDone(service.Service, seed.ToString(), RunVocabulary.Outcome(report.Outcome), report.Created, report.Skipped, report.Updated);
                RecordMetrics(service.Service, report);
                reports.Add(report);
                request.Progress?.Report(new SeedProgress(service.Service, seed, i + 1, seeds.Length, report));
            }

            var result = new RunReport(service.Service, request.DryRun, reports, clock.Elapsed)
            {
                Retries = RetryCount - retriesBefore, WriteRampActive = RampActive, WriteRampWait = RampWait - rampWaitBefore,
            };
            LogRunDone(service.Service, result.Created, result.Skipped, result.Updated, (long)result.Duration.TotalMilliseconds);
            SeedingTelemetry.RunDuration.Record(result.Duration.TotalSeconds, new KeyValuePair<string, object?>("seeding.service", service.Service));
            return result;
        }
        finally
        {
            if (run.Lease is not null)
            {
                await run.Lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void RecordMetrics(string service, SeedReport report)
    {
        var serviceTag = new KeyValuePair<string, object?>("seeding.service", service);
        SeedingTelemetry.Seeds.Add(1, serviceTag, new("seeding.outcome", report.Outcome.ToString()));
        foreach (var group in report.Plan.GroupBy(p => p.Action))
        {
            SeedingTelemetry.Documents.Add(group.Count(), serviceTag, new("seeding.phase", report.Seed.Phase.ToString()), new("seeding.action", group.Key.ToString()));
        }

        RecordResourceMetrics(service, report);
    }

    private void ThrowIfDrifted(string service, IEnumerable<MigrationStatus> statuses)
    {
        var drifted = statuses.Where(s => s.State == MigrationState.Drifted).OrderBy(s => s.Seed.Phase).ThenBy(s => s.Seed.Id, StringComparer.Ordinal).ToArray();
        if (drifted.Length > 0)
        {
            LogDrift(service, drifted.Length);
            throw new MigrationDriftException(service, drifted);
        }
    }

    private long RetryCount => (_store as IRetryCountingStore)?.RetryCount ?? 0;

    private bool RampActive => (_store as IWriteRampStore)?.WriteRampActive ?? false;

    private TimeSpan RampWait => (_store as IWriteRampStore)?.WriteRampWait ?? TimeSpan.Zero;

    // A failure while applying a file becomes a report of the failed file: what the store confirmed of its writes,
    // and which step failed. Conditions of the run as a whole (cancellation, the lease) propagate unchanged.
    // An applied migration with resource steps left without a target (`deferred`) gets only those ensured.
    private async Task<SeedReport> ApplyAsync(RunState run, SeedDefinition compiled, MigrationStatus? deferred = null)
    {
        var clock = Stopwatch.StartNew();
        var attempt = new SeedAttempt(compiled);
        try
        {
            return deferred is null
                ? await ApplyAsync(run, compiled, clock, attempt).ConfigureAwait(false)
                : await FinishDeferredAsync(run, deferred, clock, attempt).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (LockLostException or LockTimeoutException or SeedFailedException)
                                  && !(e is OperationCanceledException && run.CancellationToken.IsCancellationRequested))
        {
            var failed = Summarise(attempt.Seed, SeedOutcome.Failed, attempt.Context?.Confirmed ?? [], clock.Elapsed) with
            {
                Resources = attempt.Resources,
                SkippedSteps = attempt.Skipped,
                WriteWindow = attempt.Context?.WriteWindow,
                Failure = new SeedFailure(e, attempt.Step, attempt.Line),
            };
            throw new SeedFailedException(failed, e);
        }
    }

    private async Task<SeedReport> ApplyAsync(RunState run, SeedDefinition compiled, Stopwatch clock, SeedAttempt attempt)
    {
        using var activity = SeedingTelemetry.ActivitySource.StartActivity("seeding.seed");
        activity?.SetTag("seeding.seed", compiled.ToString());
        var (seed, skippedSteps) = SeedResolver.Resolve(compiled, run.Request);
        (attempt.Seed, attempt.Skipped) = (seed, skippedSteps);
        foreach (var skipped in skippedSteps)
        {
            LogStepSkipped(run.Service, seed.ToString(), skipped.Line, skipped.Description, skipped.Reason);
        }

        // Before a migration's first write the lock document holds a time no later than it, so an interrupted attempt's
        // writes are still dated when a later attempt records the migration; an earlier attempt's time comes back here.
        var earlierAttempt = seed.IsMigration && !run.Request.DryRun
            ? await run.Lease!.BeginAsync(LeaseLock.KeyOf(seed), run.CancellationToken).ConfigureAwait(false)
            : null;
        var context = attempt.Context = new MigrationContext(run.Service, _store, _logger, run.Request.DryRun);
        var steps = seed.Steps;
        for (var next = 0; next < steps.Count;)
        {
            var step = steps[next];
            if (step is ResourceStep)
            {
                var end = BatchEnd(steps, next);
                await ApplyResourceBatchAsync(run, seed, steps.Skip(next).Take(end - next).Cast<ResourceStep>().ToArray(), attempt).ConfigureAwait(false);
                next = end;
                continue;
            }

            next++;
            (attempt.Step, attempt.Line) = ($"{step.Verb} {step.Collection}", step.Line);
            run.Lease?.ThrowIfLost();
            switch (step)
            {
                case CreateStep or UpsertStep:
                    await ApplyKeyedStepAsync(run, step, context).ConfigureAwait(false);
                    break;
                case MatchStep match:
                    await ApplyMatchStepAsync(run, seed, match, context).ConfigureAwait(false);
                    break;
                case BackfillStep backfill:
                    await ApplyBackfillStepAsync(backfill, context, run.CancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new NotSupportedException($"{seed.SourcePath}:{step.Line}: step verb '{step.Verb}' needs a newer Seeding runtime.");
            }

            await context.FlushAsync(run.CancellationToken).ConfigureAwait(false);
        }

        if (seed.Code is { } code)
        {
            (attempt.Step, attempt.Line) = ("code", null);
            await code.ApplyAsync(context, run.CancellationToken).ConfigureAwait(false);
            await context.FlushAsync(run.CancellationToken).ConfigureAwait(false);
        }

        var outcome = run.Request.DryRun ? SeedOutcome.Planned : seed.IsMigration ? SeedOutcome.Applied : SeedOutcome.Ensured;
        var report = Summarise(seed, outcome, context.Plan, clock.Elapsed) with
        {
            Resources = attempt.Resources, SkippedSteps = skippedSteps, WriteWindow = context.WriteWindow,
        };
        if (seed.IsMigration && !run.Request.DryRun)
        {
            (attempt.Step, attempt.Line) = ("history", null);
            await RecordAsync(run.Service, report, earlierAttempt, run.Lease!, run.CancellationToken).ConfigureAwait(false);
        }

        return report;
    }

    // The history record and a renewal of the lease commit atomically: a runner that lost its lease records nothing.
    // The migration's started time leaves the lock document in the same commit.
    private async Task RecordAsync(string service, SeedReport report, Values.Timestamp? earlierAttempt, LeaseLock lease, CancellationToken cancellationToken)
    {
        var record = MigrationHistory.Record(service, report, lease.Token, earlierAttempt);
        try
        {
            await lease.CommitHoldingAsync([record], cancellationToken, completes: LeaseLock.KeyOf(report.Seed)).ConfigureAwait(false);
        }
        catch (PreconditionFailedException e) when (e.Path == record.Path)
        {
            // Another runner applied the same migration at the same time and recorded it first. Its creates
            // and ours were guarded by preconditions, so the data holds one copy; the history keeps one entry.
            await lease.ForgetAsync(LeaseLock.KeyOf(report.Seed), cancellationToken).ConfigureAwait(false);
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

    /// <summary>Where a file's application stands, so a failure can say what it had done and where it stopped.</summary>
    private sealed class SeedAttempt(SeedDefinition seed)
    {
        public SeedDefinition Seed { get; set; } = seed;

        public IReadOnlyList<SkippedStep> Skipped { get; set; } = [];

        public List<PlannedResource> Resources { get; } = [];

        public MigrationContext? Context { get; set; }

        public string Step { get; set; } = "resolve";

        public int? Line { get; set; }
    }

    /// <summary>Carries a failed file's report from <see cref="ApplyAsync(RunState, SeedDefinition, MigrationStatus)"/> to the run loop.</summary>
    private sealed class SeedFailedException(SeedReport report, Exception cause) : Exception(cause.Message, cause)
    {
        public SeedReport Report { get; } = report;
    }

    [LoggerMessage(1, LogLevel.Information, "Seeding {Service}: {Count} seed file(s) on {Store}{DryRunSuffix}")]
    private partial void LogRunStarting(string service, int count, string store, string dryRunSuffix);

    private void LogRunStarting(string service, int count, string store, bool dryRun) =>
        LogRunStarting(service, count, store, dryRun ? " (dry run: nothing is written)" : string.Empty);

    [LoggerMessage(2, LogLevel.Information, "{Service} {Seed}: {Outcome}, {Created} created, {Skipped} skipped, {Updated} updated")]
    private partial void LogSeedDone(string service, string seed, string outcome, int created, int skipped, int updated);

    [LoggerMessage(3, LogLevel.Information, "Seeding {Service} done: {Created} created, {Skipped} skipped, {Updated} updated in {Milliseconds} ms")]
    private partial void LogRunDone(string service, int created, int skipped, int updated, long milliseconds);

    // Not an error with the exception: the caller gets the exception and logs it once (the host does, the CLI prints it).
    [LoggerMessage(4, LogLevel.Information, "Seeding {Service} refused: {Count} applied migration(s) drifted")]
    private partial void LogDrift(string service, int count);

    [LoggerMessage(7, LogLevel.Information, "{Service} {Seed}: step at line {Line} ({Step}) skipped: {Reason}")]
    private partial void LogStepSkipped(string service, string seed, int line, string step, string reason);

    [LoggerMessage(6, LogLevel.Information, "{Service} {Seed}: another runner recorded this migration first")]
    private partial void LogRecordedElsewhere(string service, string seed);
}
