using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Sqlite;

/// <summary>
/// The database file behind a <see cref="SqliteDocumentStore"/>: the connection string, schema and format check on first
/// open, pooled connections, row reads, path checks, the commit clock, and SQLite errors turned into messages that say
/// what to do. Queries (<see cref="SqliteQueries"/>) and writes (<see cref="SqliteWrites"/>) work through it.
/// </summary>
internal sealed partial class SqliteDatabase : IDisposable
{
    public const int PathsPerStatement = 400; // two parameters each, far below SQLite's limit
    private const long StoreFormat = 1;

    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly string _fullPath;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _initGate = new();
    private volatile bool _initialized;
    private int _disposed;

    public SqliteDatabase(SqliteStoreOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _fullPath = Path.GetFullPath(options.DatabasePath);
        _logger = logger;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string FullPath => _fullPath;

    public ILogger Logger => _logger;

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

    public static Dictionary<DocumentPath, StoredRow> ReadRows(SqliteConnection connection, SqliteTransaction? transaction, IEnumerable<DocumentPath> paths, CancellationToken cancellationToken)
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

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public SqliteConnection Open()
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

    public static void CheckPath(DocumentPath path, string parameter)
    {
        ArgumentNullException.ThrowIfNull(path, parameter);
        CheckText(path.ToString(), parameter);
    }

    public static void CheckText(string text, string parameter)
    {
        if (!Utf8Order.IsWellFormed(text))
        {
            throw new ArgumentException($"The path '{text}' is not valid Unicode (it holds a lone UTF-16 surrogate); Firestore paths are UTF-8 text.", parameter);
        }
    }

    // Called inside the write transaction, so processes sharing the file see one strictly increasing sequence.
    public long NextCommitMicros(SqliteConnection connection, SqliteTransaction transaction) =>
        Math.Max(Now(), LastCommitMicros(connection, transaction) + 1);

    public static long LastCommitMicros(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var read = Command(connection, transaction, "SELECT value FROM seeding_meta WHERE key = 'last_commit_micros'");
        return Convert.ToInt64(read.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    public long Now() => Timestamp.FromDateTimeOffset(_time.GetUtcNow()).UnixMicroseconds;

    public Exception Translate(SqliteException ex) => ex.SqliteErrorCode switch
    {
        14 => new IOException($"Cannot open database file '{_fullPath}': {ex.Message} Check the directory exists and is writable.", ex),
        26 => new IOException($"'{_fullPath}' is not a SQLite database (or is encrypted): {ex.Message} Point the store at a Seeding database file or a new path.", ex),
        8 => new IOException($"Database file '{_fullPath}' is read-only: {ex.Message} Check the file and its directory are writable.", ex),
        5 or 6 => new TimeoutException($"Database file '{_fullPath}' stayed locked by another connection or process for longer than {_options.BusyTimeout}: {ex.Message}", ex),
        _ => ex,
    };

    /// <summary>Closes the pooled connections to the database file, so it can be moved or deleted.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Opened SQLite document store {Path}")]
    private static partial void LogOpened(ILogger logger, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "SQLite database {Path} could not switch to WAL mode (journal mode is {Mode}); concurrent readers will wait for writers")]
    private static partial void LogNoWal(ILogger logger, string path, string mode);
}

/// <summary>A document as one row holds it: encoded fields, create and update times in microseconds.</summary>
internal sealed record StoredRow(byte[] Fields, long CreateMicros, long UpdateMicros)
{
    public DocumentSnapshot ToSnapshot(DocumentPath path) => DocumentSnapshot.Found(
        path,
        FieldCodec.Decode(Fields).AsReadOnly(),
        Timestamp.FromUnixMicroseconds(CreateMicros),
        Timestamp.FromUnixMicroseconds(UpdateMicros));
}
