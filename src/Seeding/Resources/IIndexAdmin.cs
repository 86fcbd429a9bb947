namespace Seeding.Resources;

/// <summary>
/// Manages a Firestore database's indexes (the Firestore Admin API). A store that can implements this interface
/// itself (Seeding.Firestore against a production database); for any other store the runner reports index steps as
/// skipped, saying why.
/// </summary>
/// <remarks>
/// Creating an index or changing a field is a long-running operation on Google's side (minutes for large
/// collections): the create and update methods start it and return; <see cref="WaitAsync"/> waits for it.
/// </remarks>
public interface IIndexAdmin
{
    /// <summary>
    /// Null when indexes can be managed here; otherwise why they cannot (e.g. <c>the Firestore emulator has no index
    /// API</c>), and the runner reports index steps as skipped with this reason instead of calling the methods below.
    /// </summary>
    string? IndexesUnavailableReason { get; }

    /// <summary>The composite indexes of a collection group (both scopes), with their build state.</summary>
    Task<IReadOnlyList<IndexState>> ListIndexesAsync(string collectionGroup, CancellationToken cancellationToken = default);

    /// <summary>Starts building a composite index. An index that already exists is reported, not thrown.</summary>
    Task<IndexOperation> CreateIndexAsync(IndexSpec index, CancellationToken cancellationToken = default);

    /// <summary>Reads a field's effective configuration: its single-field indexes and whether a TTL policy is on.</summary>
    Task<FieldOverrideSpec> GetFieldAsync(string collectionGroup, string fieldPath, CancellationToken cancellationToken = default);

    /// <summary>Starts changing a field to hold the declared settings of <paramref name="field"/>; undeclared settings are left alone.</summary>
    Task<IndexOperation> UpdateFieldAsync(FieldOverrideSpec field, CancellationToken cancellationToken = default);

    /// <summary>Waits until a started operation is done.</summary>
    /// <exception cref="IndexOperationFailedException">The operation ended with an error.</exception>
    Task WaitAsync(IndexOperation operation, CancellationToken cancellationToken = default);
}

/// <summary>How far an index is built.</summary>
public enum IndexBuildState
{
    /// <summary>Being built; queries that need it fail until it is ready.</summary>
    Creating,

    /// <summary>Built and serving queries.</summary>
    Ready,

    /// <summary>The build failed; Firestore's console says why, and the index must be deleted and created again.</summary>
    NeedsRepair,
}

/// <summary>An existing index and its build state.</summary>
/// <param name="Index">The index (without the <c>__name__</c> field Firestore appends).</param>
/// <param name="State">How far it is built.</param>
public sealed record IndexState(IndexSpec Index, IndexBuildState State);

/// <summary>A started (or unnecessary) index operation.</summary>
/// <param name="Name">The long-running operation's name; null when nothing was started.</param>
/// <param name="AlreadyExisted">True when the index already existed, so nothing was started.</param>
public sealed record IndexOperation(string? Name, bool AlreadyExisted);

/// <summary>An index build or field change ended with an error on Google's side.</summary>
public sealed class IndexOperationFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation's name.</param>
    /// <param name="message">What failed and what to do.</param>
    public IndexOperationFailedException(string operation, string message)
        : base(message)
    {
        Operation = operation;
    }

    /// <summary>The operation's name.</summary>
    public string Operation { get; }
}
