using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>
/// The rest of a migration applied while some of its resource steps had no target: its documents are done, so it
/// is recorded as applied, with the targets it lacked (<see cref="MigrationStatus.ResourcesWithoutTarget"/>). A later
/// run that has such a target finishes the job.
/// </summary>
internal sealed partial class DeferredApplier(ResourceApplier resources, ILogger logger)
{
    private readonly ILogger _logger = logger;

    // Ensures the deferred resource steps as a migration does (create what is absent, leave what exists) with the
    // targets this run has, and takes the targets it served off the history record in a commit that renews the lease,
    // so a runner that lost its lease changes nothing. Steps whose target is still missing are reported again as such.
    public async Task<SeedReport> FinishAsync(RunState run, MigrationStatus status, Stopwatch clock, SeedAttempt attempt)
    {
        var migration = status.Seed;
        var deferredSteps = migration.Steps
            .OfType<ResourceStep>()
            .Where(step => status.ResourcesWithoutTarget.Contains(ResourceSteps.TargetOf(ResourceSteps.KindOf(step))))
            .ToArray<SeedStep>();
        var (seed, skippedSteps) = SeedResolver.Resolve(migration.WithSteps(deferredSteps), run.Request);
        (attempt.Seed, attempt.Skipped) = (seed, skippedSteps);
        var served = status.ResourcesWithoutTarget.Where(target => resources.WhyNoTarget(target) is null).ToArray();
        var clears = served.Length > 0 && !run.Request.DryRun;
        if (clears)
        {
            await run.EnsureLeaseAsync().ConfigureAwait(false);
        }

        for (var next = 0; next < seed.Steps.Count;)
        {
            next = await resources.ApplyBatchAsync(run, seed, seed.Steps, next, attempt).ConfigureAwait(false);
        }

        if (clears)
        {
            attempt.At("history", null);
            await ClearAsync(run, status, served).ConfigureAwait(false);
        }

        return new SeedReport
        {
            Seed = migration,
            Outcome = SeedOutcome.AlreadyApplied,
            Plan = [],
            Resources = attempt.Resources,
            SkippedSteps = skippedSteps,
            Duration = clock.Elapsed,
        };
    }

    private async Task ClearAsync(RunState run, MigrationStatus status, IReadOnlyCollection<ResourceTarget> served)
    {
        var path = MigrationHistory.PathOf(run.Service, status.Seed);
        var history = run.Snapshots[path];
        var left = status.ResourcesWithoutTarget.Except(served).ToArray();
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal) { [MigrationHistory.WithoutTargetField] = MigrationHistory.TargetsValue(left) };
        var write = DocumentWrite.Merge(path, fields, Precondition.UpdatedAt(history.UpdateTime!.Value));
        try
        {
            await run.Lease!.CommitHoldingAsync([write], run.CancellationToken).ConfigureAwait(false);
            LogDeferredFinished(run.Service, status.Seed.ToString(), string.Join(", ", served));
        }
        catch (PreconditionFailedException e) when (e.Path == path)
        {
            // Another runner finished it since our first read; what we ensured again only found it in place.
            LogDeferredFinishedElsewhere(run.Service, status.Seed.ToString());
        }
    }

    [LoggerMessage(13, LogLevel.Information, "{Service} {Seed}: resource steps left without a target when it was applied are now ensured ({Targets})")]
    private partial void LogDeferredFinished(string service, string seed, string targets);

    [LoggerMessage(14, LogLevel.Information, "{Service} {Seed}: another runner finished its deferred resource steps first")]
    private partial void LogDeferredFinishedElsewhere(string service, string seed);
}
