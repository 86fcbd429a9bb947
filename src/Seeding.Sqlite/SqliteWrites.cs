using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Sqlite;

/// <summary>Writes: one transaction per batch or commit, preconditions checked inside it, commit times that only increase.</summary>
internal static partial class SqliteWrites
{
    public static IReadOnlyList<WriteOutcome> Write(SqliteDatabase database, IReadOnlyList<DocumentWrite> writes, bool atomic, int maxBatchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count > maxBatchSize)
        {
            throw new ArgumentException($"A batch holds at most {maxBatchSize} writes; this one has {writes.Count}. Split it.", nameof(writes));
        }

        foreach (var write in writes)
        {
            ArgumentNullException.ThrowIfNull(write, nameof(writes));
            SqliteDatabase.CheckPath(write.Path, nameof(writes));
        }

        if (writes.Count == 0)
        {
            return [];
        }

        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: writers take turns
        var commitMicros = database.NextCommitMicros(connection, transaction);
        var commitTime = Timestamp.FromUnixMicroseconds(commitMicros);
        var current = SqliteDatabase.ReadRows(connection, transaction, writes.Select(w => w.Path).Distinct(), cancellationToken);
        var changed = new Dictionary<DocumentPath, StoredRow?>();
        var outcomes = new WriteOutcome[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var write = writes[i];
            current.TryGetValue(write.Path, out var existing);
            var problem = PreconditionProblem(write.Precondition, existing);
            if (problem is not null)
            {
                if (atomic)
                {
                    throw new PreconditionFailedException(write.Path, problem);
                }

                outcomes[i] = new WriteOutcome(write.Path, false, null);
                continue;
            }

            var next = Apply(write, existing, commitTime);
            if (next is null)
            {
                current.Remove(write.Path);
            }
            else
            {
                current[write.Path] = next;
            }

            changed[write.Path] = next;
            outcomes[i] = new WriteOutcome(write.Path, true, commitTime);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (changed.Count > 0)
        {
            Flush(connection, transaction, changed);
            using var advance = SqliteDatabase.Command(connection, transaction, "UPDATE seeding_meta SET value = $v WHERE key = 'last_commit_micros'");
            advance.Parameters.AddWithValue("$v", commitMicros);
            advance.ExecuteNonQuery();
        }

        transaction.Commit();
        LogCommitted(database.Logger, writes.Count, changed.Count, atomic ? "commit" : "batch", commitTime);
        return outcomes;
    }

    private static StoredRow? Apply(DocumentWrite write, StoredRow? existing, Timestamp commitTime)
    {
        var micros = commitTime.UnixMicroseconds;
        var createMicros = existing?.CreateMicros ?? micros;
        try
        {
            switch (write.Kind)
            {
                case WriteKind.Delete:
                    return null;
                case WriteKind.Set:
                    return new StoredRow(FieldCodec.Encode(ServerValues.Resolve(write.Fields, commitTime)), createMicros, micros);
                default:
                    var merged = existing is null ? new Dictionary<string, Value>(StringComparer.Ordinal) : FieldCodec.Decode(existing.Fields);
                    foreach (var (key, value) in ServerValues.Resolve(write.Fields, commitTime))
                    {
                        merged[key] = value;
                    }

                    return new StoredRow(FieldCodec.Encode(merged), createMicros, micros);
            }
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Cannot write '{write.Path}': {ex.Message}", ex);
        }
    }

    private static void Flush(SqliteConnection connection, SqliteTransaction transaction, Dictionary<DocumentPath, StoredRow?> changed)
    {
        using var upsert = SqliteDatabase.Command(connection, transaction, """
            INSERT OR REPLACE INTO seeding_documents (collection, id, fields, create_time, update_time)
            VALUES ($collection, $id, $fields, $create, $update)
            """);
        var upsertCollection = upsert.Parameters.Add("$collection", SqliteType.Text);
        var upsertId = upsert.Parameters.Add("$id", SqliteType.Text);
        var upsertFields = upsert.Parameters.Add("$fields", SqliteType.Blob);
        var upsertCreate = upsert.Parameters.Add("$create", SqliteType.Integer);
        var upsertUpdate = upsert.Parameters.Add("$update", SqliteType.Integer);
        using var delete = SqliteDatabase.Command(connection, transaction, "DELETE FROM seeding_documents WHERE collection = $collection AND id = $id");
        var deleteCollection = delete.Parameters.Add("$collection", SqliteType.Text);
        var deleteId = delete.Parameters.Add("$id", SqliteType.Text);

        foreach (var (path, row) in changed)
        {
            if (row is null)
            {
                deleteCollection.Value = path.Collection;
                deleteId.Value = path.Id;
                delete.ExecuteNonQuery();
            }
            else
            {
                upsertCollection.Value = path.Collection;
                upsertId.Value = path.Id;
                upsertFields.Value = row.Fields;
                upsertCreate.Value = row.CreateMicros;
                upsertUpdate.Value = row.UpdateMicros;
                upsert.ExecuteNonQuery();
            }
        }
    }

    private static string? PreconditionProblem(Precondition precondition, StoredRow? existing) => precondition switch
    {
        { Exists: false } when existing is not null => "the document already exists",
        { Exists: true } when existing is null => "the document does not exist",
        { UpdateTime: { } expected } when existing is null => $"the document does not exist (expected update time {expected})",
        { UpdateTime: { } expected } when existing!.UpdateMicros != expected.UnixMicroseconds =>
            $"the document was changed at {Timestamp.FromUnixMicroseconds(existing.UpdateMicros)}, not at {expected}",
        _ => null,
    };

    [LoggerMessage(EventId = 3, Level = LogLevel.Trace, Message = "Applied {Changed} of {Count} writes ({Kind}) at {CommitTime}")]
    private static partial void LogCommitted(ILogger logger, int count, int changed, string kind, Timestamp commitTime);
}
