using Seeding.Documents;

namespace Seeding.Store;

/// <summary>The in-memory store splits a collection's key range directly, from its sorted keys.</summary>
public sealed partial class InMemoryDocumentStore : IPartitionQueryStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentPath>> SplitAsync(string collection, int partitionCount, CancellationToken cancellationToken = default)
    {
        DocumentPath.ValidateCollectionPath(collection);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var keys = _documents.Keys.Where(k => k.Collection == collection).ToArray();
            return Task.FromResult(KeyRangeSplit.Quantiles(keys, partitionCount));
        }
    }
}
