using Seeding.Documents;

namespace Seeding.Store;

/// <summary>
/// Implemented by a store that can split a collection's key range into partitions of about equal size, so a backfill
/// is read by several workers at once (Firestore: the PartitionQuery RPC; SQLite: quantiles of its id index; in-memory:
/// directly). Optional: without it a backfill runs as one partition.
/// </summary>
public interface IPartitionQueryStore
{
    /// <summary>
    /// At most <paramref name="partitionCount"/> − 1 split points of <paramref name="collection"/>, ascending and
    /// distinct, each a document path in that collection. Partition <c>i</c> is the key range <c>(split[i−1], split[i]]</c>
    /// (the first has no lower bound, the last no upper bound: <see cref="DocumentQuery.StartAfter"/> and
    /// <see cref="DocumentQuery.EndAt"/>), so the partitions cover the collection exactly once whatever is written
    /// meanwhile. Fewer points (even none) when the collection is small.
    /// </summary>
    Task<IReadOnlyList<DocumentPath>> SplitAsync(string collection, int partitionCount, CancellationToken cancellationToken = default);
}
