using System.Diagnostics;
using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Concurrency.Tests;

/// <summary>Where a <see cref="CrashingStore"/> kills its process: deterministic points of a run, named for the command line.</summary>
public enum KillPoint
{
    /// <summary>At the first write of the lease, before it is sent: the runner dies holding nothing.</summary>
    BeforeLease,

    /// <summary>Right after the second batch of documents landed: the migration is half written, the lease held.</summary>
    AfterTwoBatches,

    /// <summary>Right after the first history record (with its lease renewal) committed, before the next migration.</summary>
    AfterHistory,

    /// <summary>At the lease's release, before it is sent: every migration recorded, the lease left to expire.</summary>
    BeforeRelease,
}

/// <summary>
/// Wraps a runner's store and kills the whole process (SIGKILL, as <c>kill -9</c>) at a <see cref="KillPoint"/>: the
/// store contract is public, so the kill point lives here in the test, not in the product. Nothing after the kill
/// runs: no finally block, no lease release, no flush.
/// </summary>
public sealed class CrashingStore(IDocumentStore inner, KillPoint killPoint) : IDocumentStore
{
    private int _batches;

    public string Name => inner.Name;

    public int MaxBatchSize => inner.MaxBatchSize;

    public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
        inner.GetAllAsync(paths, cancellationToken);

    public async Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        var outcomes = await inner.WriteBatchAsync(writes, cancellationToken);
        if (killPoint == KillPoint.AfterTwoBatches && Interlocked.Increment(ref _batches) == 2)
        {
            Die();
        }

        return outcomes;
    }

    public async Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        var locks = writes.Where(w => w.Path.Collection == "seeding_locks").ToArray();
        if ((killPoint == KillPoint.BeforeLease && locks.Length > 0)
            || (killPoint == KillPoint.BeforeRelease && locks.Any(w => w.Fields.ContainsKey("released_by"))))
        {
            Die();
        }

        var outcomes = await inner.CommitAsync(writes, cancellationToken);
        if (killPoint == KillPoint.AfterHistory && writes.Any(w => w.Path.Collection == "seeding_history"))
        {
            Die();
        }

        return outcomes;
    }

    public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(query, cancellationToken);

    private static void Die()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill(); // SIGKILL on Unix: the process ends here
        Thread.Sleep(Timeout.Infinite);
    }
}
