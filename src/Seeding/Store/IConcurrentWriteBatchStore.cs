namespace Seeding.Store;

/// <summary>
/// Implemented by a store that takes several <see cref="IDocumentStore.WriteBatchAsync"/> calls at once (Firestore:
/// independent BatchWrite RPCs), so a migration's writes can be sent while earlier batches are still on the wire.
/// Optional: a store that does not implement it gets one batch at a time (SQLite, in-memory). Batches in flight
/// together never write the same document, so each document's writes still land in order.
/// </summary>
public interface IConcurrentWriteBatchStore
{
    /// <summary>How many <see cref="IDocumentStore.WriteBatchAsync"/> calls may be in flight at once; 1 sends them one by one.</summary>
    int MaxWriteBatchesInFlight { get; }
}
