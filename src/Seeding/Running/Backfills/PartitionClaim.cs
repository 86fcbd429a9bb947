using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>
/// A worker's claim on one partition: its lease (owner, fencing token, expiry in store time) and its checkpoint. Every
/// batch commits atomically with the partition record (the new cursor and counts, and a renewal of the claim, fenced by
/// the record's update time), so the checkpoint never runs ahead of the data or behind it, and a worker whose claim
/// was taken over (it stalled past the lease) writes nothing more.
/// </summary>
internal sealed class PartitionClaim
{
    private readonly SeedRunnerOptions _options;
    private Timestamp _updateTime;
    private long _updateStamp;

    public PartitionClaim(PartitionRecord record, long token, Timestamp updateTime, SeedRunnerOptions options)
    {
        _options = options;
        Path = record.Path;
        Index = record.Index;
        EndAt = record.EndAt;
        ResumeAfter = record.ResumeAfter;
        Token = token;
        Scanned = record.Scanned;
        Updated = record.Updated;
        Committed(updateTime);
    }

    public DocumentPath Path { get; }

    public int Index { get; }

    public DocumentPath? EndAt { get; }

    /// <summary>The checkpoint: the last document of the last committed batch (or the start of the range).</summary>
    public DocumentPath? ResumeAfter { get; private set; }

    public long Token { get; }

    public long Scanned { get; private set; }

    public long Updated { get; private set; }

    /// <summary>The fields of a claim: this owner, its token, and an expiry one lease after the store's clock as last seen.</summary>
    public static Dictionary<string, Value> LeaseFields(SeedRunnerOptions options, Timestamp storeNow) => new(StringComparer.Ordinal)
    {
        ["owner"] = Value.String(options.Owner),
        ["expires_at"] = Value.Timestamp(Timestamp.FromUnixMicroseconds(storeNow.UnixMicroseconds + (long)options.LockTtl.TotalMicroseconds)),
        ["renewed_at"] = Value.ServerTimestamp,
    };

    /// <summary>
    /// Commits <paramref name="writes"/> with the checkpoint <paramref name="cursor"/> in one atomic commit. A write whose
    /// own precondition fails (its document changed since it was read) is left out and the rest committed again; it is
    /// returned as refused. Null when the claim was lost: nothing was written.
    /// </summary>
    public async Task<BatchCommit?> CommitAsync(IDocumentStore store, IReadOnlyList<DocumentWrite> writes, DocumentPath? cursor, int scanned, bool done, CancellationToken cancellationToken)
    {
        var pending = writes.ToList();
        var refused = new List<DocumentWrite>();
        while (true)
        {
            var fields = done
                ? new Dictionary<string, Value>(StringComparer.Ordinal) { ["owner"] = Value.String(string.Empty), ["expires_at"] = Value.ServerTimestamp, ["finished_at"] = Value.ServerTimestamp }
                : LeaseFields(_options, LeaseLock.Estimate(_updateTime, _options.Time.GetElapsedTime(_updateStamp)));
            fields["cursor"] = cursor is null ? Value.Null : Value.String(cursor.ToString());
            fields["done"] = Value.Boolean(done);
            fields["scanned"] = Value.Integer(Scanned + scanned);
            fields["updated"] = Value.Integer(Updated + pending.Count);
            var checkpoint = DocumentWrite.Merge(Path, fields, Precondition.UpdatedAt(_updateTime));
            try
            {
                var outcomes = await store.CommitAsync([.. pending, checkpoint], cancellationToken).ConfigureAwait(false);
                Committed(outcomes[^1].UpdateTime!.Value);
                (ResumeAfter, Scanned, Updated) = (cursor, Scanned + scanned, Updated + pending.Count);
                return new BatchCommit(pending, outcomes.Take(pending.Count).ToArray(), refused);
            }
            catch (PreconditionFailedException e) when (e.Path == Path)
            {
                return null;
            }
            catch (PreconditionFailedException e) when (pending.FindIndex(w => w.Path == e.Path) is var i and >= 0)
            {
                // Changed by someone else since it was read: left alone (the next run sees it again), never overwritten.
                refused.Add(pending[i]);
                pending.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// Gives the partition up (a run stopped on purpose): its checkpoint stays and the next worker claims it at once
    /// instead of waiting out the lease. Best effort, bounded by <see cref="SeedRunnerOptions.LockReleaseTimeout"/>: a
    /// release that fails leaves the claim to expire.
    /// </summary>
    public async Task ReleaseAsync(IDocumentStore store)
    {
        using var bounded = new CancellationTokenSource(_options.LockReleaseTimeout);
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["owner"] = Value.String(string.Empty), ["expires_at"] = Value.ServerTimestamp, ["released_at"] = Value.ServerTimestamp,
        };
        try
        {
            await store.CommitAsync([DocumentWrite.Merge(Path, fields, Precondition.UpdatedAt(_updateTime))], bounded.Token).WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Taken over, or the store did not answer in time: the claim expires on its own.
        }
    }

    private void Committed(Timestamp updateTime)
    {
        _updateTime = updateTime;
        _updateStamp = _options.Time.GetTimestamp();
    }
}

/// <summary>What one batch committed: the writes applied (with their outcomes) and those refused by their own precondition.</summary>
internal sealed record BatchCommit(IReadOnlyList<DocumentWrite> Applied, IReadOnlyList<WriteOutcome> Outcomes, IReadOnlyList<DocumentWrite> Refused);

/// <summary>
/// One backfill as its workers see it: where its records are, what it reads (a collection, equality filters) and what
/// it writes for each page it reads. YAML backfill steps and C# migrations' <see cref="MigrationContext.ForEachPartitionAsync"/> calls alike.
/// </summary>
internal sealed record BackfillJob(
    string Id, string MigrationKey, string Collection, string Source, IReadOnlyList<FieldFilter> Filters, int Line,
    Func<IReadOnlyList<DocumentSnapshot>, CancellationToken, Task<IReadOnlyList<DocumentWrite>>> UpdatePage)
{
    /// <summary>The backfill of a YAML <c>backfill</c> step: equality conditions go to the store, null-or-missing is checked here.</summary>
    public static BackfillJob ForStep(Definitions.SeedDefinition migration, Definitions.BackfillStep step)
    {
        var equality = step.StoreFilters();
        var source = $"line{step.Line}";
        return new BackfillJob(BackfillRecords.IdOf(migration, source), LeaseLock.KeyOf(migration), step.Collection, source, equality, step.Line, (page, _) =>
            Task.FromResult<IReadOnlyList<DocumentWrite>>(page
                .Where(d => step.Matches(d.Fields))
                .Select(d => DocumentWrite.Merge(d.Path, step.Set, Precondition.UpdatedAt(d.UpdateTime!.Value)))
                .ToArray()));
    }

    /// <summary>True for a YAML step's backfill, which any process with the same service can work on; a C# migration's only its holder can.</summary>
    public bool FromStep => Source.StartsWith("line", StringComparison.Ordinal);
}
