using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>Accepting an intended edit of an applied migration: the history's new checksum and its audit entry.</summary>
internal static partial class MigrationHistory
{
    /// <summary>The value of the <c>kind</c> field of an accept's audit entry.</summary>
    public const string AcceptKind = "accept";

    /// <summary>
    /// The writes that accept <paramref name="migration"/>'s current checksum in place of the one recorded in
    /// <paramref name="history"/>: the history document gets the new checksum (guarded by its update time, so a
    /// concurrent change refuses the accept) and a new audit document beside it records the old and new checksum, who,
    /// when (the store's commit time) and why. The audit document's id is the history id plus <c>:accepted:</c> and the
    /// history document's update time, so accepting the same state twice cannot record two entries.
    /// </summary>
    public static IReadOnlyList<DocumentWrite> Accept(string service, SeedDefinition migration, DocumentSnapshot history, string reason, string acceptedBy)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(history);
        var path = PathOf(service, migration);
        var previous = FieldReader.OptionalString(history.Fields, "checksum") ?? string.Empty;
        var updated = new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["checksum"] = Value.String(migration.Checksum),
            ["source"] = Value.String(migration.SourcePath),
            ["checksum_accepted_at"] = Value.ServerTimestamp,
        };
        var audit = new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["kind"] = Value.String(AcceptKind),
            ["service"] = Value.String(service),
            ["phase"] = Value.String(migration.Phase.ToString().ToLowerInvariant()),
            ["migration"] = Value.String(migration.Id),
            ["source"] = Value.String(migration.SourcePath),
            ["old_checksum"] = Value.String(previous),
            ["new_checksum"] = Value.String(migration.Checksum),
            ["reason"] = Value.String(reason),
            ["accepted_by"] = Value.String(acceptedBy),
            ["accepted_at"] = Value.ServerTimestamp,
        };
        var auditPath = DocumentPath.Create(Collection, $"{path.Id}:accepted:{history.UpdateTime!.Value.UnixMicroseconds}");
        return
        [
            DocumentWrite.Merge(path, updated, Precondition.UpdatedAt(history.UpdateTime!.Value)),
            DocumentWrite.Create(auditPath, audit),
        ];
    }
}
