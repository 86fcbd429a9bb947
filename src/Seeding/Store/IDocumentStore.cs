using Seeding.Documents;

namespace Seeding.Store;

/// <summary>
/// The contract every backend (in-memory, embedded SQLite, Firestore) implements. It is shaped for round-trip
/// economy: reads and writes take many documents per call, so a runner can check a whole seed set in one read
/// and write it in batches of <see cref="MaxBatchSize"/>.
/// </summary>
public interface IDocumentStore
{
    /// <summary>A short name for logs and reports, such as <c>sqlite:seeding.db</c>.</summary>
    string Name { get; }

    /// <summary>The most writes one <see cref="WriteBatchAsync"/> or <see cref="CommitAsync"/> call accepts (Firestore: 500).</summary>
    int MaxBatchSize { get; }

    /// <summary>
    /// Reads many documents in one round trip; the result has one snapshot per path, in the same order, each stamped
    /// with the store's clock at the read (<see cref="DocumentSnapshot.ReadTime"/>).
    /// </summary>
    Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies independent writes in one round trip (Firestore's BatchWrite). Each write succeeds or fails its
    /// precondition on its own; a failed precondition is reported in its outcome, not thrown. Other errors throw.
    /// </summary>
    Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies writes atomically (Firestore's Commit): all or none. When any precondition fails nothing is
    /// written and <see cref="PreconditionFailedException"/> is thrown.
    /// </summary>
    Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Runs a query: the matching documents of one page, ordered by path.</summary>
    Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default);
}

/// <summary>An atomic commit was refused because a write's precondition failed; nothing was written.</summary>
public sealed class PreconditionFailedException : Exception
{
    /// <summary>Creates the exception for the document whose precondition failed.</summary>
    public PreconditionFailedException(DocumentPath path, string reason)
        : base($"Precondition failed for '{path}': {reason}. Nothing in this commit was written.")
    {
        Path = path;
    }

    /// <summary>The document whose precondition failed.</summary>
    public DocumentPath Path { get; }
}
