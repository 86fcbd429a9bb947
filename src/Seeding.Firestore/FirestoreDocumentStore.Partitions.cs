using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Firestore;

/// <summary>
/// Splits a collection for a backfill's partitions: PartitionQuery in production, a keys-only scan on the emulator
/// (which answers PartitionQuery with UNIMPLEMENTED); see <c>PartitionReader</c>.
/// </summary>
public sealed partial class FirestoreDocumentStore : IPartitionQueryStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentPath>> SplitAsync(string collection, int partitionCount, CancellationToken cancellationToken = default) =>
        _partitions.SplitAsync(collection, partitionCount, cancellationToken);
}
