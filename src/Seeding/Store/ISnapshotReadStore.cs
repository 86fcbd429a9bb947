using Seeding.Documents;

namespace Seeding.Store;

/// <summary>
/// A store that reads many times from one consistent snapshot, and counts the documents of a query without reading
/// them: what <c>seeding diff</c> needs to compare every declared document as of one moment. Offered through
/// <see cref="StoreCapabilities.Snapshots"/>; without it the diff reads the store call by call and says so.
/// </summary>
public interface ISnapshotReadStore
{
    /// <summary>Opens a read-only view: every read through it sees the store as of one moment.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    Task<ISnapshotReader> OpenSnapshotAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Reads from one consistent snapshot of a store (Firestore: every call at the read time of the first; SQLite: one read
/// transaction; in-memory: a copy taken under the store's lock). Dispose it to release what it holds.
/// </summary>
public interface ISnapshotReader : IAsyncDisposable
{
    /// <summary>How the snapshot is held, for reports, e.g. <c>Firestore read_time</c> or <c>one SQLite read transaction</c>.</summary>
    string Consistency { get; }

    /// <summary>The snapshot's time once a read has fixed it (Firestore's read time); null before, or when the store cannot tell.</summary>
    Values.Timestamp? ReadTime { get; }

    /// <summary>Reads many documents, as <see cref="IDocumentStore.GetAllAsync"/> does, from the snapshot.</summary>
    Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default);

    /// <summary>Runs a query, as <see cref="IDocumentStore.QueryAsync"/> does, on the snapshot.</summary>
    Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts the documents the query matches (its <see cref="DocumentQuery.Limit"/> and cursor ignored) without reading
    /// them: Firestore's COUNT aggregation, SQLite's <c>COUNT(*)</c>.
    /// </summary>
    Task<long> CountAsync(DocumentQuery query, CancellationToken cancellationToken = default);
}
