using Seeding.Store;

namespace Seeding.Running;

/// <summary>Backfills of a migration: partitioned, resumable reads of a whole collection with writes per page.</summary>
public sealed partial class MigrationContext
{
    private readonly object _backfillGate = new();
    private int _backfillCalls;

    /// <summary>Where this context's backfills run partitioned (a real run of a migration under its lease); null reads them in one sequence.</summary>
    internal BackfillScope? Backfills { get; set; }

    /// <summary>Backfills finished in this migration (id and partition count): their records are deleted once it is recorded.</summary>
    internal List<(string Id, int Partitions)> FinishedBackfills { get; } = [];

    /// <summary>
    /// Reads every document <paramref name="query"/> matches, split into partitions read by several workers at once (this
    /// process's <see cref="SeedRunnerOptions.BackfillWorkers"/>), and commits the writes <paramref name="updatePage"/>
    /// returns for each page together with the partition's checkpoint. A run that is interrupted (a crash, a deploy, a
    /// lost lease) resumes each partition from its checkpoint, reading at most one page again; so, like every migration,
    /// <paramref name="updatePage"/> must be idempotent (guard writes with
    /// <see cref="Precondition.UpdatedAt"/> the snapshot's update time, or make them conditional on what they change).
    /// </summary>
    /// <param name="query">The collection and equality filters (its <see cref="DocumentQuery.Limit"/>, <see cref="DocumentQuery.StartAfter"/> and <see cref="DocumentQuery.EndAt"/> are ignored: partitions set them).</param>
    /// <param name="updatePage">
    /// Called once per page of up to <see cref="SeedRunnerOptions.BackfillBatchSize"/> documents (from several workers at
    /// once: keep it free of shared mutable state); returns the writes for that page, at most one per document read. A
    /// write whose precondition fails is left out and reported skipped, never retried blindly.
    /// </param>
    /// <param name="partitionCount">Partitions to split the collection into; null: <see cref="SeedRunnerOptions.BackfillPartitions"/>.</param>
    /// <param name="cancellationToken">Cancels the backfill; committed pages stay committed and the next run resumes after them.</param>
    /// <example>
    /// <code>
    /// await context.ForEachPartitionAsync(new DocumentQuery("consents", [FieldFilter.EqualTo("version", Value.Integer(1))]),
    ///     (page, ct) => Task.FromResult&lt;IReadOnlyList&lt;DocumentWrite&gt;&gt;(page
    ///         .Select(d => DocumentWrite.Merge(d.Path, Upgrade(d.Fields), Precondition.UpdatedAt(d.UpdateTime!.Value)))
    ///         .ToArray()),
    ///     cancellationToken: cancellationToken);
    /// </code>
    /// </example>
    public async Task ForEachPartitionAsync(
        DocumentQuery query,
        Func<IReadOnlyList<DocumentSnapshot>, CancellationToken, Task<IReadOnlyList<DocumentWrite>>> updatePage,
        int? partitionCount = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(updatePage);
        if (partitionCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(partitionCount), partitionCount, "A backfill has at least one partition.");
        }

        var call = Interlocked.Increment(ref _backfillCalls);
        if (Backfills is { } scope)
        {
            await scope.RunAsync(scope.JobForCode(call, query, updatePage), this, partitionCount, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        await InSequenceAsync(query with { Limit = null, StartAfter = null, EndAt = null }, updatePage, 0, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A backfill read in one sequence through <see cref="WriteAsync"/>: a dry run (every write becomes a plan line), or a
    /// context with no partitioned scope. Its writes are paced by the run's budget in <see cref="WriteAsync"/>;
    /// <paramref name="meter"/>, when given, counts the documents scanned, updated (planned, in a dry run) and skipped.
    /// </summary>
    internal async Task InSequenceAsync(
        DocumentQuery query, Func<IReadOnlyList<DocumentSnapshot>, CancellationToken, Task<IReadOnlyList<DocumentWrite>>> updatePage, int line, BackfillMeter? meter,
        CancellationToken cancellationToken)
    {
        var pageSize = Store.MaxBatchSize;
        var page = new List<DocumentSnapshot>(pageSize);
        await foreach (var document in QueryAllAsync(query, pageSize, cancellationToken).ConfigureAwait(false))
        {
            page.Add(document);
            if (page.Count == pageSize)
            {
                await WritePageAsync(page).ConfigureAwait(false);
            }
        }

        await WritePageAsync(page).ConfigureAwait(false);

        async Task WritePageAsync(List<DocumentSnapshot> documents)
        {
            if (documents.Count == 0)
            {
                return;
            }

            var writes = await updatePage(documents.ToArray(), cancellationToken).ConfigureAwait(false);
            meter?.Scanned(documents.Count);
            foreach (var write in writes)
            {
                await WriteAsync(write, PlanAction.Update, line, cancellationToken).ConfigureAwait(false);
                meter?.Updated(1);
            }

            meter?.Skipped(documents.Count - writes.Count);

            documents.Clear();
        }
    }

    /// <summary>How many plan lines there are (a backfill's lines follow from here).</summary>
    internal int PlanCount => _plan.LineCount;

    /// <summary>Puts the plan lines from <paramref name="start"/> in path order: partitions commit in any order, a dry run plans in path order.</summary>
    internal void OrderPlanFrom(int start) => _plan.OrderLinesFrom(start);

    /// <summary>Records a backfill batch committed by a partition worker (workers of one process call it at once).</summary>
    internal void RecordBackfillBatch(BatchCommit batch, int line)
    {
        lock (_backfillGate)
        {
            foreach (var write in batch.Applied)
            {
                _plan.Add(new PlannedWrite(write.Path, PlanAction.Update, line));
            }

            foreach (var outcome in batch.Outcomes)
            {
                if (outcome is { Applied: true, UpdateTime: { } time })
                {
                    WriteWindow = WriteWindow is { } window
                        ? (time < window.First ? time : window.First, time > window.Last ? time : window.Last)
                        : (time, time);
                }
            }

            foreach (var write in batch.Refused)
            {
                _plan.Add(new PlannedWrite(write.Path, PlanAction.SkipUnchanged, line));
                Conflicts++;
            }
        }
    }
}
