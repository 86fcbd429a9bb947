using System.Collections.ObjectModel;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Store;

/// <summary>What a store holds at one path: the fields and times of a document, or the fact that there is none.</summary>
public sealed class DocumentSnapshot
{
    private static readonly IReadOnlyDictionary<string, Value> NoFields =
        new ReadOnlyDictionary<string, Value>(new Dictionary<string, Value>(StringComparer.Ordinal));

    private DocumentSnapshot(DocumentPath path, bool exists, IReadOnlyDictionary<string, Value> fields, Timestamp? createTime, Timestamp? updateTime, Timestamp? readTime = null)
    {
        Path = path;
        Exists = exists;
        Fields = fields;
        CreateTime = createTime;
        UpdateTime = updateTime;
        ReadTime = readTime;
    }

    /// <summary>The document's path.</summary>
    public DocumentPath Path { get; }

    /// <summary>True when a document exists at <see cref="Path"/>.</summary>
    public bool Exists { get; }

    /// <summary>The document's fields; empty when it does not exist.</summary>
    public IReadOnlyDictionary<string, Value> Fields { get; }

    /// <summary>When the document was created; null when it does not exist.</summary>
    public Timestamp? CreateTime { get; }

    /// <summary>When the document was last written; null when it does not exist. Used for update-time preconditions.</summary>
    public Timestamp? UpdateTime { get; }

    /// <summary>
    /// The store's own clock when it read this snapshot (Firestore's read time), as returned by
    /// <see cref="IDocumentStore.GetAllAsync"/>: no earlier than the commit time of any write the read sees, and no
    /// later than the commit time of any write that starts after the read returned. Null when the snapshot was not
    /// read from a store (or the store cannot tell). Lease expiry is judged by it, so runners' clocks never matter.
    /// </summary>
    public Timestamp? ReadTime { get; }

    /// <summary>A snapshot of an existing document.</summary>
    public static DocumentSnapshot Found(DocumentPath path, IReadOnlyDictionary<string, Value> fields, Timestamp createTime, Timestamp updateTime) =>
        new(path, true, fields, createTime, updateTime);

    /// <summary>A snapshot of a path with no document.</summary>
    public static DocumentSnapshot Missing(DocumentPath path) => new(path, false, NoFields, null, null);

    /// <summary>This snapshot stamped with the store's clock at the read (see <see cref="ReadTime"/>); stores call it.</summary>
    public DocumentSnapshot WithReadTime(Timestamp readTime) => new(Path, Exists, Fields, CreateTime, UpdateTime, readTime);
}
