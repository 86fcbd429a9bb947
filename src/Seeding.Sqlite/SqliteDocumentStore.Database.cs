using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Sqlite;

// The database file: schema and format check on first open, pooled connections, row reads, path checks.
public sealed partial class SqliteDocumentStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS seeding_documents (
            collection  TEXT    NOT NULL,
            id          TEXT    NOT NULL,
            fields      BLOB    NOT NULL,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            PRIMARY KEY (collection, id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS seeding_meta (
            key   TEXT    NOT NULL PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO seeding_meta (key, value) VALUES ('format', 1), ('last_commit_micros', 0);
        """;

    private static Dictionary<DocumentPath, StoredRow> ReadRows(SqliteConnection connection, SqliteTransaction? transaction, IEnumerable<DocumentPath> paths, CancellationToken cancellationToken)
    {
        var found = new Dictionary<DocumentPath, StoredRow>();
        foreach (var chunk in paths.Chunk(PathsPerStatement))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sql = new StringBuilder("SELECT collection, id, fields, create_time, update_time FROM seeding_documents WHERE (collection, id) IN (VALUES ");
            using var command = Command(connection, transaction, string.Empty);
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append("($c").Append(i).Append(", $i").Append(i).Append(')');
                command.Parameters.AddWithValue("$c" + i.ToString(CultureInfo.InvariantCulture), chunk[i].Collection);
                command.Parameters.AddWithValue("$i" + i.ToString(CultureInfo.InvariantCulture), chunk[i].Id);
            }

            command.CommandText = sql.Append(')').ToString();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var path = DocumentPath.Create(reader.GetString(0), reader.GetString(1));
                found[path] = new StoredRow(reader.GetFieldValue<byte[]>(2), reader.GetInt64(3), reader.GetInt64(4));
            }
        }

        return found;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private SqliteConnection Open()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using (var pragma = Command(connection, null, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds};"))
            {
                pragma.ExecuteNonQuery();
            }

            EnsureInitialized(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void EnsureInitialized(SqliteConnection connection)
    {
        if (_initialized)
        {
            return;
        }

        lock (_initGate)
        {
            if (_initialized)
            {
                return;
            }

            using (var encoding = Command(connection, null, "PRAGMA encoding = 'UTF-8';"))
            {
                encoding.ExecuteNonQuery(); // no effect on an existing file, which is UTF-8 unless made elsewhere
            }

            using (var wal = Command(connection, null, "PRAGMA journal_mode = WAL;"))
            {
                var mode = Convert.ToString(wal.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    LogNoWal(_logger, _fullPath, mode ?? "unknown");
                }
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            using (var schema = Command(connection, transaction, Schema))
            {
                schema.ExecuteNonQuery();
            }

            using (var format = Command(connection, transaction, "SELECT value FROM seeding_meta WHERE key = 'format'"))
            {
                var value = Convert.ToInt64(format.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (value != StoreFormat)
                {
                    throw new NotSupportedException($"Database file '{_fullPath}' has Seeding store format {value}; this version reads format {StoreFormat}. Upgrade Seeding or use another file.");
                }
            }

            transaction.Commit();
            _initialized = true;
            LogOpened(_logger, _fullPath);
        }
    }

    private static void CheckPath(DocumentPath path, string parameter)
    {
        ArgumentNullException.ThrowIfNull(path, parameter);
        CheckText(path.ToString(), parameter);
    }

    private static void CheckText(string text, string parameter)
    {
        if (!Utf8Order.IsWellFormed(text))
        {
            throw new ArgumentException($"The path '{text}' is not valid Unicode (it holds a lone UTF-16 surrogate); Firestore paths are UTF-8 text.", parameter);
        }
    }

    private sealed record StoredRow(byte[] Fields, long CreateMicros, long UpdateMicros)
    {
        public DocumentSnapshot ToSnapshot(DocumentPath path) => DocumentSnapshot.Found(
            path,
            FieldCodec.Decode(Fields).AsReadOnly(),
            Timestamp.FromUnixMicroseconds(CreateMicros),
            Timestamp.FromUnixMicroseconds(UpdateMicros));
    }
}
