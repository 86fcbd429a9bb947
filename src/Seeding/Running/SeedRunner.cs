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
/// <remarks>
/// The runner orchestrates: it reads, checks drift and pending pre-deploy migrations, takes the lease, and hands each
/// file to <see cref="SeedFileApplier"/> (documents, resources, deferred resources); a revert goes to <see cref="MigrationReverter"/>.
/// What the store offers beyond documents (index admin, retry counts, the write ramp, concurrent batches) is what
/// <see cref="SeedRunnerOptions.Capabilities"/> says, never guessed from the store's type.
/// </remarks>
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
    private readonly SeedFileApplier _files;

    /// <summary>Creates a runner over a store.</summary>
    public SeedRunner(IDocumentStore store, ILogger<SeedRunner>? logger = null, SeedRunnerOptions? options = null)
        : this(store, (ILogger?)logger ?? NullLogger.Instance, options ?? new SeedRunnerOptions())
    {
    }

    private SeedRunner(IDocumentStore store, ILogger logger, SeedRunnerOptions options)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = logger;
        _options = options;
        _files = new SeedFileApplier(_store, _options, _logger);
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
    /// <exception cref="PendingPreDeployException">Post-deploy migrations were asked for while pre-deploy ones are pending (see <see cref="RunRequest.AllowPendingPreDeploy"/>); nothing was written.</exception>
    /// <exception cref="SeedRunException">A seed file failed; the exception carries what the run did up to it.</exception>
    /// <exception cref="SeedRunCanceledException">The run was cancelled once files had started; it carries what the run did, the interrupted file included.</exception>
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

        // Read 1: the history of every migration and every bootstrap document, in one round trip (with the history of
        // the pre-deploy migrations when post-deploy ones run without them).
        var migrations = seeds.Where(s => s.IsMigration).ToArray();
        var bootstrap = seeds.Where(s => !s.IsMigration).ToArray();
        var preDeploy = ChecksPendingPreDeploy(request) ? service.InPhase(SeedPhase.Pre).Where(s => s.IsMigration).ToArray() : [];
        var firstRead = await ReadAsync(
            migrations.Concat(preDeploy).Select(m => MigrationHistory.PathOf(service.Service, m)).Concat(bootstrap.SelectMany(SeedPlanner.PathsOf)),
            cancellationToken).ConfigureAwait(false);

        var statuses = migrations.ToDictionary(m => m, m => MigrationHistory.StatusOf(m, firstRead[MigrationHistory.PathOf(service.Service, m)]));
        ThrowIfDrifted(service.Service, statuses.Values);
        var pendingPre = preDeploy.Where(m => MigrationHistory.StatusOf(m, firstRead[MigrationHistory.PathOf(service.Service, m)]).State == MigrationState.Pending).ToArray();
        if (pendingPre.Length > 0 && !request.DryRun)
        {
            LogPendingPreDeploy(service.Service, pendingPre.Length);
            throw new PendingPreDeployException(service.Service, pendingPre);
        }

        // Migrations run once: pending ones are applied under the service's lease lock, and the pending list is
        // read again inside it, because another replica may have applied them while we waited.
        var pending = migrations.Where(m => statuses[m].State == MigrationState.Pending).ToArray();
        var run = new RunState(_store, _options, service.Service, request, new Dictionary<DocumentPath, DocumentSnapshot>(firstRead), cancellationToken);
        run.WhileWaiting = JoinBackfills(run, pending);
        if (pending.Length > 0 && !request.DryRun)
        {
            await run.EnsureLeaseAsync(pending.Select(LeaseLock.KeyOf)).ConfigureAwait(false);
        }

        try
        {
            if (pending.Length > 0)
            {
                await ReadPendingAsync(run, pending, statuses).ConfigureAwait(false);
            }

            var reports = new List<SeedReport>(seeds.Length);
            RunReport Report() => new(service.Service, request.DryRun, reports.ToArray(), clock.Elapsed)
            {
                Retries = RetryCount - retriesBefore, WriteRampActive = RampActive, WriteRampWait = RampWait - rampWaitBefore, PendingPreDeploy = pendingPre,
            };

            for (var i = 0; i < seeds.Length; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    // Between files: what finished is applied and recorded; nothing of the next file was started.
                    throw new SeedRunCanceledException(Report(), cancellationToken);
                }

                var seed = seeds[i];
                request.Progress?.Report(new SeedProgress(service.Service, seed, i + 1, seeds.Length, null));
                SeedReport report;
                try
                {
                    report = !seed.IsMigration || statuses[seed].State != MigrationState.Applied
                        ? await _files.ApplyAsync(run, seed).ConfigureAwait(false)
                        : statuses[seed].ResourcesWithoutTarget.Count > 0
                            ? await _files.ApplyAsync(run, seed, statuses[seed]).ConfigureAwait(false)
                            : new SeedReport { Seed = seed, Outcome = SeedOutcome.AlreadyApplied, Plan = [] };
                }
                catch (SeedFailedException stopped)
                {
                    // The caller gets what this run did so far, the stopped file included; it logs the failure (we do
                    // not, so a failure is logged once, by whoever handles it).
                    RecordMetrics(service.Service, stopped.Report);
                    reports.Add(stopped.Report);
                    request.Progress?.Report(new SeedProgress(service.Service, seed, i + 1, seeds.Length, stopped.Report));
                    throw stopped.Report.Outcome == SeedOutcome.Cancelled
                        ? new SeedRunCanceledException(Report(), cancellationToken)
                        : new SeedRunException(Report());
                }

                report = run.WithJoinedWork(report);
                LogSeedDone(service.Service, seed.ToString(), RunVocabulary.Outcome(report.Outcome), report.Created, report.Skipped, report.Updated);
                RecordMetrics(service.Service, report);
                reports.Add(report);
                request.Progress?.Report(new SeedProgress(service.Service, seed, i + 1, seeds.Length, report));
            }

            var result = Report();
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

    /// <summary>
    /// Reverts an applied migration: deletes the documents it created that are unchanged since (each delete guarded by
    /// an update-time precondition), keeps everything else with a reason, and moves its history entry aside so the
    /// migration is pending again. Refuses migrations with backfills or code, whose previous values were never kept.
    /// </summary>
    /// <exception cref="InvalidOperationException">The migration is unknown, not applied, or cannot be reverted safely.</exception>
    public Task<RevertReport> RevertAsync(ServiceSeeds service, string migrationId, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new MigrationReverter(_store, _options).RevertAsync(service, migrationId, dryRun, cancellationToken);
    }

    // Post-deploy migrations assume the pre-deploy ones ran (the deploy order is pre, deploy, post): a run of post
    // without pre checks that none is pending, unless the request allows it.
    private static bool ChecksPendingPreDeploy(RunRequest request) =>
        !request.AllowPendingPreDeploy && request.Phases.Contains(SeedPhase.Post) && !request.Phases.Contains(SeedPhase.Pre);

    // Read 2 (only when something is pending): inside the lock, the pending migrations' history again and their
    // documents, in one round trip. Many documents are streamed instead: read chunk by chunk as applied (the first
    // chunk rides along with the history, so a single large step costs as many reads as before).
    private async Task ReadPendingAsync(RunState run, SeedDefinition[] pending, Dictionary<SeedDefinition, MigrationStatus> statuses)
    {
        run.Streamed = pending.Sum(SeedPlanner.KeyedDocumentCount) > SeedPlanner.StreamAbove;
        var historyPaths = run.Lease is null ? [] : pending.Select(m => MigrationHistory.PathOf(run.Service, m)).ToArray();
        var documentPaths = pending.SelectMany(SeedPlanner.PathsOf);
        var second = await ReadAsync(historyPaths.Concat(run.Streamed ? documentPaths.Take(SeedPlanner.StreamChunk - historyPaths.Length) : documentPaths), run.CancellationToken).ConfigureAwait(false);
        foreach (var (path, snapshot) in second)
        {
            run.Snapshots[path] = snapshot;
        }

        foreach (var migration in pending)
        {
            statuses[migration] = MigrationHistory.StatusOf(migration, run.Snapshots[MigrationHistory.PathOf(run.Service, migration)]);
            if (statuses[migration].State == MigrationState.Applied && run.Lease is not null)
            {
                await run.Lease.ForgetAsync(LeaseLock.KeyOf(migration), run.CancellationToken).ConfigureAwait(false); // applied by another runner while we waited
            }
        }

        ThrowIfDrifted(run.Service, statuses.Values);
    }

    private static void RecordMetrics(string service, SeedReport report)
    {
        var serviceTag = new KeyValuePair<string, object?>("seeding.service", service);
        SeedingTelemetry.Seeds.Add(1, serviceTag, new("seeding.outcome", report.Outcome.ToString()));
        var counts = report.ActionCounts ?? report.Plan.GroupBy(p => p.Action).ToDictionary(g => g.Key, g => (long)g.Count());
        foreach (var (action, count) in counts.Where(c => c.Value > 0))
        {
            SeedingTelemetry.Documents.Add(count, serviceTag, new("seeding.phase", report.Seed.Phase.ToString()), new("seeding.action", action.ToString()));
        }

        ResourceSteps.RecordMetrics(service, report);
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

    private long RetryCount => _options.Capabilities.RetryCounter?.RetryCount ?? 0;

    private bool RampActive => _options.Capabilities.WriteRamp?.WriteRampActive ?? false;

    private TimeSpan RampWait => _options.Capabilities.WriteRamp?.WriteRampWait ?? TimeSpan.Zero;

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
    private partial void LogSeedDone(string service, string seed, string outcome, int created, int skipped, int updated);

    [LoggerMessage(3, LogLevel.Information, "Seeding {Service} done: {Created} created, {Skipped} skipped, {Updated} updated in {Milliseconds} ms")]
    private partial void LogRunDone(string service, int created, int skipped, int updated, long milliseconds);

    // Not an error with the exception: the caller gets the exception and logs it once (the host does, the CLI prints it).
    [LoggerMessage(4, LogLevel.Information, "Seeding {Service} refused: {Count} applied migration(s) drifted")]
    private partial void LogDrift(string service, int count);

    [LoggerMessage(5, LogLevel.Information, "Seeding {Service} refused: post-deploy migrations asked for while {Count} pre-deploy migration(s) are pending")]
    private partial void LogPendingPreDeploy(string service, int count);
}
