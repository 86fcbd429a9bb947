using Seeding.Firestore;
using Seeding.Store;

namespace Seeding.Hosting;

/// <summary>
/// What each store this package opens offers beyond documents, for <see cref="Running.SeedRunnerOptions.Capabilities"/>:
/// the one place that says it, used by <c>AddSeeding</c> and the <c>seeding</c> command alike. Firestore manages
/// indexes, counts its retries, paces writes by the ramp and takes several write batches at once; SQLite and the
/// in-memory store offer none of these. All three list subcollections and collection groups (<see cref="IHierarchyStore"/>).
/// </summary>
public static class SeedingStoreCapabilities
{
    /// <summary>The capabilities of <paramref name="store"/>, as the composition root that opened it knows them.</summary>
    /// <param name="store">A store this package (or the application) opened.</param>
    public static StoreCapabilities Of(IDocumentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var capabilities = store is FirestoreDocumentStore firestore
            ? new StoreCapabilities { Indexes = firestore, RetryCounter = firestore, WriteRamp = firestore, ConcurrentWrites = firestore, Snapshots = firestore, Throttling = firestore, Partitions = firestore, Streaming = firestore }
            : new StoreCapabilities { Snapshots = store as ISnapshotReadStore, Partitions = store as IPartitionQueryStore, Streaming = store as IStreamingQueryStore };
        return store is IHierarchyStore hierarchy ? capabilities with { Hierarchy = hierarchy } : capabilities;
    }
}
