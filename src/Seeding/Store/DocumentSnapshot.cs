using System.Collections.ObjectModel;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Store;

/// <summary>What a store holds at one path: the fields and times of a document, or the fact that there is none.</summary>
public sealed class DocumentSnapshot
{
    private static readonly IReadOnlyDictionary<string, Value> NoFields =
        new ReadOnlyDictionary<string, Value>(new Dictionary<string, Value>(StringComparer.Ordinal));

    private DocumentSnapshot(DocumentPath path, bool exists, IReadOnlyDictionary<string, Value> fields, Timestamp? createTime, Timestamp? updateTime)
    {
        Path = path;
        Exists = exists;
        Fields = fields;
        CreateTime = createTime;
        UpdateTime = updateTime;
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

    /// <summary>A snapshot of an existing document.</summary>
    public static DocumentSnapshot Found(DocumentPath path, IReadOnlyDictionary<string, Value> fields, Timestamp createTime, Timestamp updateTime) =>
        new(path, true, fields, createTime, updateTime);

    /// <summary>A snapshot of a path with no document.</summary>
    public static DocumentSnapshot Missing(DocumentPath path) => new(path, false, NoFields, null, null);
}
