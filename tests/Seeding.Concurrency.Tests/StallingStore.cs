using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// Wraps a store. StallAfterQuery = n: after the n-th query returns, every further call waits until Resume (a
/// process paused past its lease: its renewals stall too). FailRenewals: lease renewals fail with a store error.
/// </summary>
public sealed class StallingStore(IDocumentStore inner) : IDocumentStore
{
    private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _queries;
    private int _failedRenewals;

    public int StallAfterQuery { get; init; } = int.MaxValue;

    public bool FailRenewals { get; init; }

    /// <summary>Renewals refused so far (with FailRenewals).</summary>
    public int FailedRenewals => Volatile.Read(ref _failedRenewals);

    public Task Stalled => _stalled.Task;

    public string Name => inner.Name;

    public int MaxBatchSize => inner.MaxBatchSize;

    public void Resume() => _resumed.TrySetResult();

    public async Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default)
    {
        await GateAsync();
        return await inner.GetAllAsync(paths, cancellationToken);
    }

    public async Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        await GateAsync();
        return await inner.WriteBatchAsync(writes, cancellationToken);
    }

    public async Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        await GateAsync();
        // A renewal: the lease document alone, merged under its update time (the release, also alone, says who released).
        if (FailRenewals && writes is [{ Kind: WriteKind.Merge, Precondition.UpdateTime: not null } only] && only.Path.Collection == "seeding_locks"
            && !only.Fields.ContainsKey("released_by"))
        {
            Interlocked.Increment(ref _failedRenewals);
            throw new TimeoutException("The store did not answer (a renewal failed after the store's own retries).");
        }

        return await inner.CommitAsync(writes, cancellationToken);
    }

    public async Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        await GateAsync();
        var result = await inner.QueryAsync(query, cancellationToken);
        if (Interlocked.Increment(ref _queries) == StallAfterQuery)
        {
            _stalled.TrySetResult();
        }

        return result;
    }

    private Task GateAsync() => _stalled.Task.IsCompleted ? _resumed.Task : Task.CompletedTask;
}
