using Seeding.Definitions;
using Seeding.Store;

namespace Seeding.Running;

/// <summary>The backfills of one migration in a real run, under the run's lease: partitions created by this holder, worked by this process's workers.</summary>
internal sealed class BackfillScope(BackfillWorkers workers, RunState run, SeedDefinition migration, SeedRunnerOptions options)
{
    /// <summary>The backfill of a C# migration's <paramref name="call"/>-th <see cref="MigrationContext.ForEachPartitionAsync"/>.</summary>
    public BackfillJob JobForCode(int call, DocumentQuery query, Func<IReadOnlyList<DocumentSnapshot>, CancellationToken, Task<IReadOnlyList<DocumentWrite>>> updatePage)
    {
        var source = $"code{call}";
        return new BackfillJob(BackfillRecords.IdOf(migration, source), LeaseLock.KeyOf(migration), query.Collection, source, query.Filters, 0, updatePage);
    }

    /// <summary>
    /// Runs <paramref name="job"/> to the end: every partition done, by this process or others. <paramref name="meter"/>
    /// (a YAML step's, created by its applier) counts and paces this process's workers; null: one is made here for a C#
    /// migration's backfill, with the count of its query for the ETA, and completed at the end.
    /// </summary>
    public async Task RunAsync(BackfillJob job, MigrationContext context, int? partitionCount, BackfillMeter? meter, CancellationToken cancellationToken)
    {
        var own = meter is null;
        if (meter is null)
        {
            meter = new BackfillMeter(run.Service, migration, $"ForEachPartitionAsync {job.Collection}", job.Line, dryRun: false, context.Budget, options);
            meter.Total = await BackfillMeter.CountAsync(options.Capabilities.Snapshots, new DocumentQuery(job.Collection, job.Filters), cancellationToken).ConfigureAwait(false);
        }

        // Writes queued before the backfill land first: its pages read what they wrote.
        await context.FlushAsync(cancellationToken).ConfigureAwait(false);
        var partitions = await workers.EnsurePartitionsAsync(job, run.Lease!, partitionCount, cancellationToken).ConfigureAwait(false);
        var planned = context.PlanCount;
        await workers.RunAsync(job, partitions, options.BackfillWorkers, untilAllDone: true, context, meter, cancellationToken).ConfigureAwait(false);
        context.OrderPlanFrom(planned);
        run.Lease!.ThrowIfLost();
        context.FinishedBackfills.Add((job.Id, partitions));
        if (own)
        {
            meter.Complete();
        }
    }
}
