using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Store;

namespace Seeding.Running;

/// <summary>
/// Applies one seed file: resolves its configured values, runs its steps in order (documents through
/// <see cref="DocumentApplier"/>, resources through <see cref="ResourceApplier"/>), then its C# code, and records a
/// migration in history. An applied migration with resource steps left without a target goes to <see cref="DeferredApplier"/>.
/// A failure or a cancel becomes the file's report (what the store confirmed, and where it stopped).
/// </summary>
internal sealed partial class SeedFileApplier
{
    private readonly IDocumentStore _store;
    private readonly StoreCapabilities _capabilities;
    private readonly ILogger _logger;
    private readonly DocumentApplier _documents;
    private readonly ResourceApplier _resources;
    private readonly DeferredApplier _deferred;
    private readonly WriteBudget? _budget;
    private readonly SeedRunnerOptions _options;

    /// <summary>The runner's write budget (shared by its files, and by the workers it lends to another runner's backfills); null: writes are not paced.</summary>
    public WriteBudget? Budget => _budget;

    public SeedFileApplier(IDocumentStore store, SeedRunnerOptions options, ILogger logger)
    {
        _store = store;
        _capabilities = options.Capabilities;
        _options = options;
        _logger = logger;
        // One budget per runner, shared by every file, step and worker it runs; none when nothing can pace writes.
        _budget = options.MaxWritesPerSecond is not null || options.Capabilities.Throttling is not null
            ? new WriteBudget(options.MaxWritesPerSecond, options.Capabilities.Throttling, options.Time, logger)
            : null;
        _documents = new DocumentApplier(store, _budget);
        _resources = new ResourceApplier(store, options, logger);
        _deferred = new DeferredApplier(_resources, logger);
    }

    /// <summary>
    /// Applies <paramref name="compiled"/>, or, for an applied migration with steps left without a target
    /// (<paramref name="deferred"/>), ensures only those. A failure while applying the file, or a cancel of the run,
    /// becomes <see cref="SeedFailedException"/> carrying the file's report (<see cref="SeedOutcome.Failed"/> or
    /// <see cref="SeedOutcome.Cancelled"/>): what the store confirmed of its writes, and which step it stopped at.
    /// Conditions of the run as a whole (the lease) propagate unchanged.
    /// </summary>
    public async Task<SeedReport> ApplyAsync(RunState run, SeedDefinition compiled, MigrationStatus? deferred = null)
    {
        var clock = Stopwatch.StartNew();
        var attempt = new SeedAttempt(compiled);
        try
        {
            return deferred is null
                ? await ApplyFileAsync(run, compiled, clock, attempt).ConfigureAwait(false)
                : await _deferred.FinishAsync(run, deferred, clock, attempt).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (LockLostException or LockTimeoutException or SeedFailedException))
        {
            var cancelled = e is OperationCanceledException && run.CancellationToken.IsCancellationRequested;
            var stopped = Summarise(attempt.Seed, cancelled ? SeedOutcome.Cancelled : SeedOutcome.Failed, attempt.Context?.Confirmed, clock.Elapsed) with
            {
                Resources = attempt.Resources,
                SkippedSteps = attempt.Skipped,
                WriteWindow = attempt.Context?.WriteWindow,
                Failure = new SeedFailure(e, attempt.Step, attempt.Line),
            };
            throw new SeedFailedException(stopped, e);
        }
    }

    private async Task<SeedReport> ApplyFileAsync(RunState run, SeedDefinition compiled, Stopwatch clock, SeedAttempt attempt)
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
        // A plan being saved (SavedPlan) must hold every write, so the plan limit is off while it is captured.
        var planLimit = run.Request.Capture is null ? run.Request.PlanLimit : int.MaxValue;
        var context = attempt.Context = new MigrationContext(run.Service, _store, _logger, run.Request.DryRun, _capabilities.ConcurrentWrites, planLimit, _budget);
        context.Capture = run.Request.Capture is { } capture ? (write, index) => capture.Add(seed, index, write) : null;
        var backfills = seed.IsMigration && !run.Request.DryRun ? new BackfillWorkers(_store, _options, _logger, run.Service) : null;
        if (backfills is not null)
        {
            context.Backfills = new BackfillScope(backfills, run, seed, _options);
        }

        var steps = seed.Steps;
        for (var next = 0; next < steps.Count;)
        {
            var step = steps[next];
            if (step is ResourceStep)
            {
                next = await _resources.ApplyBatchAsync(run, seed, steps, next, attempt).ConfigureAwait(false);
                continue;
            }

            next++;
            attempt.At($"{step.Verb} {step.Collection}", step.Line);
            context.BeginStep(attempt.Step, step.Line);
            run.Lease?.ThrowIfLost();
            await _documents.ApplyAsync(run, seed, step, context).ConfigureAwait(false);
            await context.FlushAsync(run.CancellationToken).ConfigureAwait(false);
        }

        if (seed.Code is { } code)
        {
            attempt.At("code", null);
            context.BeginStep("code", 0);
            await code.ApplyAsync(context, run.CancellationToken).ConfigureAwait(false);
            await context.FlushAsync(run.CancellationToken).ConfigureAwait(false);
        }

        var outcome = run.Request.DryRun ? SeedOutcome.Planned : seed.IsMigration ? SeedOutcome.Applied : SeedOutcome.Ensured;
        var report = Summarise(seed, outcome, context.Summary(), clock.Elapsed) with
        {
            Resources = attempt.Resources, SkippedSteps = skippedSteps, WriteWindow = context.WriteWindow,
        };
        if (seed.IsMigration && !run.Request.DryRun)
        {
            attempt.At("history", null);
            await RecordAsync(run.Service, report, earlierAttempt, run.Lease!, run.CancellationToken).ConfigureAwait(false);
            if (backfills is not null && context.FinishedBackfills.Count > 0)
            {
                await backfills.CleanUpAsync(context.FinishedBackfills, run.CancellationToken).ConfigureAwait(false);
            }
        }

        return report;
    }

    // The history record and a renewal of the lease commit atomically: a runner that lost its lease records nothing.
    // The migration's started time leaves the lock document in the same commit.
    internal async Task RecordAsync(string service, SeedReport report, Values.Timestamp? earlierAttempt, LeaseLock lease, CancellationToken cancellationToken)
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

    private static SeedReport Summarise(SeedDefinition seed, SeedOutcome outcome, PlanSummary? plan, TimeSpan duration)
    {
        long Count(PlanAction action) => plan?.Counts.GetValueOrDefault(action) ?? 0;
        return new SeedReport
        {
            Seed = seed,
            Outcome = outcome,
            Plan = plan?.Lines ?? [],
            PlanOmitted = plan?.Omissions ?? [],
            ActionCounts = plan?.Counts,
            Created = (int)Count(PlanAction.Create),
            Skipped = (int)(Count(PlanAction.SkipExists) + Count(PlanAction.SkipUnchanged)),
            Updated = (int)Count(PlanAction.Update),
            Duration = duration,
        };
    }

    [LoggerMessage(7, LogLevel.Information, "{Service} {Seed}: step at line {Line} ({Step}) skipped: {Reason}")]
    private partial void LogStepSkipped(string service, string seed, int line, string step, string reason);

    [LoggerMessage(6, LogLevel.Information, "{Service} {Seed}: another runner recorded this migration first")]
    private partial void LogRecordedElsewhere(string service, string seed);
}
