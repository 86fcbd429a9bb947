using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Store;

/// <summary>How a <see cref="DocumentWrite"/> changes its document.</summary>
public enum WriteKind
{
    /// <summary>Replace the whole document with the given fields (creating it when absent).</summary>
    Set,

    /// <summary>Write only the given top-level fields, keeping the others (Firestore's set with merge).</summary>
    Merge,

    /// <summary>Delete the document.</summary>
    Delete,
}

/// <summary>A condition the store checks before applying a write; a write whose condition fails changes nothing.</summary>
/// <param name="Exists">When set, the document must (true) or must not (false) exist.</param>
/// <param name="UpdateTime">When set, the document must exist and have been last written at exactly this time.</param>
public readonly record struct Precondition(bool? Exists = null, Timestamp? UpdateTime = null)
{
    /// <summary>No condition.</summary>
    public static Precondition None => default;

    /// <summary>The document must not exist: a create that never overwrites.</summary>
    public static Precondition MustNotExist => new(Exists: false);

    /// <summary>The document must exist.</summary>
    public static Precondition MustExist => new(Exists: true);

    /// <summary>The document must be unchanged since <paramref name="updateTime"/> (optimistic concurrency).</summary>
    public static Precondition UpdatedAt(Timestamp updateTime) => new(UpdateTime: updateTime);

    /// <summary>True when no condition is set.</summary>
    public bool IsNone => Exists is null && UpdateTime is null;
}

/// <summary>
/// One write to one document. Fields may hold <see cref="Value.ServerTimestamp"/> (top level or nested),
/// which the store replaces with its commit time.
/// </summary>
public sealed record DocumentWrite
{
    private DocumentWrite(DocumentPath path, WriteKind kind, IReadOnlyDictionary<string, Value>? fields, Precondition precondition)
    {
        Path = path;
        Kind = kind;
        Fields = fields ?? new Dictionary<string, Value>(StringComparer.Ordinal);
        Precondition = precondition;
    }

    /// <summary>The document written.</summary>
    public DocumentPath Path { get; }

    /// <summary>How the document changes.</summary>
    public WriteKind Kind { get; }

    /// <summary>The fields written (empty for deletes).</summary>
    public IReadOnlyDictionary<string, Value> Fields { get; }

    /// <summary>The condition checked before the write.</summary>
    public Precondition Precondition { get; }

    /// <summary>Creates the document; fails its precondition (and changes nothing) when it already exists.</summary>
    public static DocumentWrite Create(DocumentPath path, IReadOnlyDictionary<string, Value> fields) =>
        new(path, WriteKind.Set, fields, Precondition.MustNotExist);

    /// <summary>Replaces the whole document.</summary>
    public static DocumentWrite Set(DocumentPath path, IReadOnlyDictionary<string, Value> fields, Precondition precondition = default) =>
        new(path, WriteKind.Set, fields, precondition);

    /// <summary>Writes the given top-level fields and keeps the others; creates the document when absent.</summary>
    public static DocumentWrite Merge(DocumentPath path, IReadOnlyDictionary<string, Value> fields, Precondition precondition = default) =>
        new(path, WriteKind.Merge, fields, precondition);

    /// <summary>Deletes the document.</summary>
    public static DocumentWrite Delete(DocumentPath path, Precondition precondition = default) =>
        new(path, WriteKind.Delete, null, precondition);
}

/// <summary>The result of one write in a batch.</summary>
/// <param name="Path">The document written.</param>
/// <param name="Applied">True when the write was applied; false when its precondition failed.</param>
/// <param name="UpdateTime">The document's update time after the write, when applied.</param>
public readonly record struct WriteOutcome(DocumentPath Path, bool Applied, Timestamp? UpdateTime);
