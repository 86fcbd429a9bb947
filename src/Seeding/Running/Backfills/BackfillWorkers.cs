using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>
/// Runs a backfill's partitions: the migration's lease holder creates the partition records (once: a rerun finds them
/// and resumes), then any number of workers, in this process (<see cref="SeedRunnerOptions.BackfillWorkers"/>) and in
/// others that wait for the same lease, claim partitions through per-partition leases and read each from its
/// checkpoint, one batch at a time, each batch committed atomically with the new checkpoint
/// (<see cref="PartitionClaim"/>). A worker that dies loses its claim when its lease expires by the store's clock; the
/// next worker continues from the checkpoint, so at most the one batch that did not commit is read again.
/// </summary>
internal sealed partial class BackfillWorkers(IDocumentStore store, SeedRunnerOptions options, ILogger logger, string service)
{
    /// <summary>The documents read per batch: the option, capped so a batch and its checkpoint fit one commit.</summary>
    public int BatchSize => Math.Clamp(options.BackfillBatchSize ?? store.MaxBatchSize - 1, 1, store.MaxBatchSize - 1);

    /// <summary>
    /// Creates the partition records of <paramref name="job"/> unless an earlier attempt did (fenced by the migration's
    /// lease, so one holder creates them), and returns how many partitions there are.
    /// </summary>
    public async Task<int> EnsurePartitionsAsync(BackfillJob job, LeaseLock lease, int? partitionCount, CancellationToken cancellationToken)
    {
        var headerPath = BackfillRecords.HeaderPath(service, job.Id);
        var header = (await store.GetAllAsync([headerPath], cancellationToken).ConfigureAwait(false))[0];
        if (header.Exists)
        {
            return (int)(FieldReader.OptionalInteger(header.Fields, "partitions") ?? 1);
        }

        var wanted = Math.Clamp(partitionCount ?? options.BackfillPartitions, 1, BackfillRecords.MaxPartitions);
        var splits = wanted > 1 && options.Capabilities.Partitions is { } partitions
            ? await partitions.SplitAsync(job.Collection, wanted, cancellationToken).ConfigureAwait(false)
            : [];
        await lease.CommitHoldingAsync(BackfillRecords.Create(service, job.Id, job.MigrationKey, job.Collection, job.Source, splits, options.Owner), cancellationToken).ConfigureAwait(false);
        LogPartitioned(service, job.Id, job.Collection, splits.Count + 1);
        return splits.Count + 1;
    }

    /// <summary>
    /// Runs <paramref name="workers"/> workers over the partitions of <paramref name="job"/>. With
    /// <paramref name="untilAllDone"/> (the lease holder) they return when every partition is done, waiting for partitions
    /// held by live workers elsewhere and taking over those whose lease expires; otherwise (a process joining another's
    /// backfill) when no partition is left to claim. True when this process worked on at least one partition.
    /// <paramref name="meter"/>, one per backfill shared by this process's workers, paces each commit by the run's write
    /// budget and counts the documents; the budget's share follows the partition leases (see <see cref="ShareOf"/>).
    /// </summary>
    public async Task<bool> RunAsync(BackfillJob job, int partitionCount, int workers, bool untilAllDone, MigrationContext context, BackfillMeter meter, CancellationToken cancellationToken)
    {
        var paths = Enumerable.Range(0, partitionCount).Select(i => BackfillRecords.PartitionPath(service, job.Id, i)).ToArray();
        try
        {
            var results = await Task.WhenAll(Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Run(() => WorkAsync(job, paths, untilAllDone, context, meter, cancellationToken), cancellationToken))).ConfigureAwait(false);
            return results.Any(worked => worked);
        }
        finally
        {
            // The backfill is over for this process: what it writes next (other migrations, alone) takes the whole budget.
            meter.Budget?.SetShare(1);
        }
    }

    /// <summary>
    /// This process's share of the write budget, from the partition records it just read: its workers (the partitions
    /// held under its owner, with the one it is claiming) over the active workers everywhere (the partitions held under a
    /// live lease, each worker holding one at a time). At least this process's workers over all the claimed partitions'
    /// owners, so the processes of a backfill together stay within the budget as workers join and leave (each claim
    /// updates it).
    /// </summary>
    internal static double ShareOf(IEnumerable<PartitionRecord> open, Timestamp storeNow, string owner)
    {
        var held = open.Where(r => !r.Free(storeNow)).ToArray();
        var own = held.Count(r => string.Equals(r.Owner, owner, StringComparison.Ordinal)) + 1;
        return Math.Min(1.0, own / (double)(held.Length + 1));
    }

    private async Task<bool> WorkAsync(BackfillJob job, DocumentPath[] paths, bool untilAllDone, MigrationContext context, BackfillMeter meter, CancellationToken cancellationToken)
    {
        var worked = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (claim, allDone) = await ClaimAsync(job, paths, meter, cancellationToken).ConfigureAwait(false);
            if (claim is not null)
            {
                try
                {
                    await RunPartitionAsync(job, claim, context, meter, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await claim.ReleaseAsync(store).ConfigureAwait(false);
                    throw;
                }

                worked = true;
                continue;
            }

            if (allDone || !untilAllDone)
            {
                return worked;
            }

            await Task.Delay(options.LockPollInterval, options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // One read of every partition record; a free one (never claimed, released, or its lease expired by the store's
    // clock) is claimed with an update-time precondition, so two workers never both get it. A missing record counts as
    // done: records are deleted once the migration is recorded.
    private async Task<(PartitionClaim? Claim, bool AllDone)> ClaimAsync(BackfillJob job, DocumentPath[] paths, BackfillMeter meter, CancellationToken cancellationToken)
    {
        var snapshots = await store.GetAllAsync(paths, cancellationToken).ConfigureAwait(false);
        var readAt = options.Time.GetTimestamp();
        var storeNow = snapshots[0].ReadTime ?? Timestamp.FromDateTimeOffset(options.Time.GetUtcNow());
        var open = snapshots.Select(PartitionRecord.From).OfType<PartitionRecord>().Where(r => !r.Done).ToArray();
        if (open.Length == 0)
        {
            return (null, true);
        }

        foreach (var record in open.Where(r => r.Free(storeNow)).OrderBy(_ => Random.Shared.Next()))
        {
            var takeover = !string.IsNullOrEmpty(record.Owner);
            var fields = PartitionClaim.LeaseFields(options, LeaseLock.Estimate(storeNow, options.Time.GetElapsedTime(readAt)));
            fields["token"] = Value.Integer(record.Token + 1);
            fields["claimed_at"] = Value.ServerTimestamp;
            fields["takeovers"] = Value.Integer(record.Takeovers + (takeover ? 1 : 0));
            try
            {
                var outcome = await store.CommitAsync([DocumentWrite.Merge(record.Path, fields, Precondition.UpdatedAt(record.UpdateTime))], cancellationToken).ConfigureAwait(false);
                if (takeover)
                {
                    SeedingTelemetry.BackfillTakeovers.Add(1, new KeyValuePair<string, object?>("seeding.service", service));
                    LogTakenOver(service, job.Id, record.Index, record.Owner, record.ResumeAfter?.ToString() ?? "(start)");
                }

                meter.Budget?.SetShare(ShareOf(open.Where(r => r.Index != record.Index), storeNow, options.Owner));

                return (new PartitionClaim(record, record.Token + 1, outcome[0].UpdateTime!.Value, options), false);
            }
            catch (PreconditionFailedException)
            {
                // Another worker claimed it between our read and our write: try the next one.
            }
        }

        return (null, false);
    }

    // The per-batch loop of one partition: read a page from the checkpoint, compute its writes, commit them with the new
    // checkpoint. The only place a partition's batches are read and written. The partition is read as one stream from
    // the claim's checkpoint (DocumentStorePaging.QueryAllAsync: one RunQuery on Firestore, pages elsewhere), cut into
    // batches here; the checkpoint is still the last document of a committed batch, so a rerun after a crash reads again
    // at most the batch that was not committed. One document is read ahead, to know whether a batch is the last.
    private async Task RunPartitionAsync(BackfillJob job, PartitionClaim claim, MigrationContext context, BackfillMeter meter, CancellationToken cancellationToken)
    {
        var batchSize = BatchSize;
        var serviceTag = new KeyValuePair<string, object?>("seeding.service", service);
        var after = claim.ResumeAfter;
        var range = new DocumentQuery(job.Collection, job.Filters, StartAfter: after) { EndAt = claim.EndAt };
        await using var documents = store.QueryAllAsync(range, batchSize, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var more = await documents.MoveNextAsync().ConfigureAwait(false);
        while (true)
        {
            // Under a write budget a page holds about 200 ms of its rate, so batches leave evenly instead of in bursts.
            var size = meter.Budget?.BatchSize(batchSize) ?? batchSize;
            var page = new List<DocumentSnapshot>(size);
            while (more && page.Count < size)
            {
                page.Add(documents.Current);
                more = await documents.MoveNextAsync().ConfigureAwait(false);
            }

            SeedingTelemetry.BackfillDocumentsRead.Add(page.Count, serviceTag);
            var done = !more;
            var writes = page.Count == 0 ? [] : await job.UpdatePage(page, cancellationToken).ConfigureAwait(false);
            if (writes.Count > batchSize)
            {
                throw new InvalidOperationException(
                    $"Backfill {job.Id}: a page of {page.Count} document(s) produced {writes.Count} writes; at most {batchSize} fit one commit with the checkpoint. Write at most one document per document read.");
            }

            // The budget, once per batch: the commit goes to the store directly, not through MigrationContext.WriteAsync.
            await meter.BeforeWriteAsync(writes.Count, cancellationToken).ConfigureAwait(false);
            var cursor = page.Count > 0 ? page[^1].Path : after;
            var committed = await claim.CommitAsync(store, writes, cursor, page.Count, done, cancellationToken).ConfigureAwait(false);
            if (committed is null)
            {
                LogClaimLost(service, job.Id, claim.Index);
                return;
            }

            context.RecordBackfillBatch(committed, job.Line);

            meter.Scanned(page.Count);
            meter.Updated(committed.Applied.Count);
            meter.Skipped(page.Count - committed.Applied.Count);
            if (done)
            {
                return;
            }

            after = cursor;
        }
    }

    /// <summary>Deletes the records of finished backfills once their migration is recorded (best effort: leftovers of an applied migration are never read again).</summary>
    public async Task CleanUpAsync(IReadOnlyCollection<(string Id, int Partitions)> backfills, CancellationToken cancellationToken)
    {
        var deletes = backfills.SelectMany(b => Enumerable.Range(0, b.Partitions).Select(i => BackfillRecords.PartitionPath(service, b.Id, i)).Append(BackfillRecords.HeaderPath(service, b.Id)))
            .Select(p => DocumentWrite.Delete(p))
            .ToArray();
        try
        {
            foreach (var chunk in deletes.Chunk(store.MaxBatchSize))
            {
                await store.WriteBatchAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCleanUpFailed(service, e.Message);
        }
    }

    [LoggerMessage(40, LogLevel.Information, "{Service}: backfill {Backfill} of {Collection} split into {Partitions} partition(s)")]
    private partial void LogPartitioned(string service, string backfill, string collection, int partitions);

    [LoggerMessage(41, LogLevel.Warning, "{Service}: backfill {Backfill} partition {Index} taken over from {Owner}, whose lease expired; resuming after {Cursor}")]
    private partial void LogTakenOver(string service, string backfill, int index, string owner, string cursor);

    [LoggerMessage(42, LogLevel.Warning, "{Service}: backfill {Backfill} partition {Index}: this worker's claim expired and was taken over; it stopped without writing its batch")]
    private partial void LogClaimLost(string service, string backfill, int index);

    [LoggerMessage(43, LogLevel.Warning, "{Service}: the records of finished backfills could not be deleted ({Reason}); they are left and never read again")]
    private partial void LogCleanUpFailed(string service, string reason);
}
