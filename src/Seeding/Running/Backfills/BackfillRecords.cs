using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>
/// Where a backfill's partitions are recorded: beside the service's lease document (<c>seeding_locks/{service}</c>), in
/// its subcollection <c>backfills</c>: one header per backfill (id <c>{phase}:{migration}:{source}</c>: the
/// migration, the collection, the partition count) and one record per partition (id <c>{header}#{index}</c>: its key
/// range, its checkpoint, whether it is done, its counts, and its own lease: owner, expiry in store time, fencing token).
/// </summary>
internal static class BackfillRecords
{
    public const string Subcollection = "backfills";
    public const string HeaderKind = "backfill";
    public const string PartitionKind = "partition";

    /// <summary>The most partitions a backfill is split into (its records are written in one commit).</summary>
    public const int MaxPartitions = BackfillLimits.MaxPartitions;

    public static string CollectionOf(string service) => $"{LeaseLock.Collection}/{service}/{Subcollection}";

    public static string IdOf(SeedDefinition migration, string source) =>
        $"{migration.Phase.ToString().ToLowerInvariant()}:{migration.Id}:{source}";

    public static DocumentPath HeaderPath(string service, string backfillId) => DocumentPath.Create(CollectionOf(service), backfillId);

    public static DocumentPath PartitionPath(string service, string backfillId, int index) =>
        DocumentPath.Create(CollectionOf(service), $"{backfillId}#{index:D4}");

    /// <summary>The header and the partition records of a new backfill, each created only if absent.</summary>
    public static IReadOnlyList<DocumentWrite> Create(string service, string backfillId, string migrationKey, string collection, string source, IReadOnlyList<DocumentPath> splits, string owner)
    {
        var count = splits.Count + 1;
        var writes = new List<DocumentWrite>(count + 1)
        {
            DocumentWrite.Create(HeaderPath(service, backfillId), new Dictionary<string, Value>(StringComparer.Ordinal)
            {
                ["kind"] = Value.String(HeaderKind),
                ["migration"] = Value.String(migrationKey),
                ["collection"] = Value.String(collection),
                ["source"] = Value.String(source),
                ["partitions"] = Value.Integer(count),
                ["created_at"] = Value.ServerTimestamp,
                ["created_by"] = Value.String(owner),
            }),
        };
        for (var i = 0; i < count; i++)
        {
            writes.Add(DocumentWrite.Create(PartitionPath(service, backfillId, i), new Dictionary<string, Value>(StringComparer.Ordinal)
            {
                ["kind"] = Value.String(PartitionKind),
                ["backfill"] = Value.String(backfillId),
                ["index"] = Value.Integer(i),
                ["start_after"] = i == 0 ? Value.Null : Value.String(splits[i - 1].ToString()),
                ["end_at"] = i == count - 1 ? Value.Null : Value.String(splits[i].ToString()),
                ["cursor"] = Value.Null,
                ["done"] = Value.Boolean(false),
                ["owner"] = Value.String(string.Empty),
                ["token"] = Value.Integer(0),
                ["scanned"] = Value.Integer(0),
                ["updated"] = Value.Integer(0),
                ["takeovers"] = Value.Integer(0),
            }));
        }

        return writes;
    }
}

/// <summary>A partition record as read: its range, checkpoint, lease and counts.</summary>
internal sealed record PartitionRecord(
    DocumentPath Path, int Index, DocumentPath? StartAfter, DocumentPath? EndAt, DocumentPath? Cursor, bool Done,
    string Owner, Timestamp? ExpiresAt, long Token, long Scanned, long Updated, long Takeovers, Timestamp UpdateTime)
{
    /// <summary>Where the next read starts after: the checkpoint, or the start of the range.</summary>
    public DocumentPath? ResumeAfter => Cursor ?? StartAfter;

    /// <summary>True when no live worker holds it by the store's clock <paramref name="storeNow"/>.</summary>
    public bool Free(Timestamp storeNow) => string.IsNullOrEmpty(Owner) || ExpiresAt is null || ExpiresAt <= storeNow;

    public static PartitionRecord? From(DocumentSnapshot snapshot)
    {
        if (!snapshot.Exists || FieldReader.OptionalString(snapshot.Fields, "kind") != BackfillRecords.PartitionKind)
        {
            return null;
        }

        var fields = snapshot.Fields;
        return new PartitionRecord(
            snapshot.Path,
            (int)(FieldReader.OptionalInteger(fields, "index") ?? 0),
            PathOrNull(fields, "start_after"),
            PathOrNull(fields, "end_at"),
            PathOrNull(fields, "cursor"),
            fields.TryGetValue("done", out var done) && done.Kind == ValueKind.Boolean && done.AsBoolean(),
            FieldReader.OptionalString(fields, "owner") ?? string.Empty,
            FieldReader.OptionalTimestamp(fields, "expires_at"),
            FieldReader.OptionalInteger(fields, "token") ?? 0,
            FieldReader.OptionalInteger(fields, "scanned") ?? 0,
            FieldReader.OptionalInteger(fields, "updated") ?? 0,
            FieldReader.OptionalInteger(fields, "takeovers") ?? 0,
            snapshot.UpdateTime!.Value);
    }

    private static DocumentPath? PathOrNull(IReadOnlyDictionary<string, Value> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Kind == ValueKind.String ? DocumentPath.Parse(value.AsString()) : null;
}
