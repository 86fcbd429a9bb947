using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Sqlite;

/// <summary>
/// Seeding's embedded default store: a real database in one SQLite file, with Firestore's semantics for
/// preconditions, merges, server timestamps and queries.
/// </summary>
/// <remarks>
/// <para>Documents live in one table keyed by (collection path, document id); fields are stored in a compact
/// binary encoding that keeps every value exactly (64-bit integers, NaN, -0.0, bytes, microsecond timestamps).
/// Create and update times are microseconds since the Unix epoch; commit times strictly increase, even across
/// processes, because each commit reads and advances the last commit time inside its write transaction.</para>
/// <para>Each call opens its own pooled connection, so the store is safe to share between threads. Writes run in
/// one <c>BEGIN IMMEDIATE</c> transaction with preconditions checked inside it, and the database uses WAL mode and
/// a busy timeout, so several processes can write to the same file: they take turns, never interleave.</para>
/// <para>SQLite runs in process: calls complete synchronously on the caller's thread (a write waiting for another
/// process's lock blocks for up to <see cref="SqliteStoreOptions.BusyTimeout"/>).</para>
/// </remarks>
public sealed partial class SqliteDocumentStore : IDocumentStore, IAsyncDisposable, IDisposable
{
    private const long StoreFormat = 1;
    private const int PathsPerStatement = 400; // two parameters each, far below SQLite's limit
    private const string MatchFunction = "seeding_matches";

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

    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly string _fullPath;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _initGate = new();
    private volatile bool _initialized;
    private int _disposed;

    /// <summary>Creates a store over the database file in <paramref name="options"/>; the file is opened (and created) on first use.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="logger">Optional logger for opening and commits.</param>
    /// <param name="time">The clock for commit times; defaults to the system clock.</param>
    public SqliteDocumentStore(SqliteStoreOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BusyTimeout, "BusyTimeout must be positive.");
        }

        _options = options;
        _fullPath = Path.GetFullPath(options.DatabasePath);
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>Creates the store and opens the database right away, so a bad path fails here rather than on first use.</summary>
    /// <param name="options">Where the database is.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="IOException">The file cannot be opened or is not a SQLite database.</exception>
    public static Task<SqliteDocumentStore> OpenAsync(SqliteStoreOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var store = new SqliteDocumentStore(options, logger);
        return Run(cancellationToken, store, () =>
        {
            using var connection = store.Open();
            return store;
        });
    }

    /// <inheritdoc />
    public string Name => "sqlite:" + _options.DatabasePath;

    /// <inheritdoc />
    /// <remarks>500, as Firestore, so a runner batches the same way against every store.</remarks>
    public int MaxBatchSize => 500;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _fullPath;

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Run(cancellationToken, this, () =>
        {
            if (paths.Count == 0)
            {
                return (IReadOnlyList<DocumentSnapshot>)[];
            }

            foreach (var path in paths)
            {
                CheckPath(path, nameof(paths));
            }

            using var connection = Open();

            // Several statements read one consistent snapshot inside a (deferred) read transaction. The read time is
            // taken after the rows, so it is no earlier than any commit they show (each process's commits advance
            // last_commit_micros inside their write transaction).
            using var transaction = paths.Count > PathsPerStatement ? connection.BeginTransaction(deferred: true) : null;
            var found = ReadRows(connection, transaction, paths.Distinct(), cancellationToken);
            var readTime = Timestamp.FromUnixMicroseconds(Math.Max(Now(), LastCommitMicros(connection, transaction)));
            transaction?.Commit();
            return paths.Select(p => (found.TryGetValue(p, out var row) ? row.ToSnapshot(p) : DocumentSnapshot.Missing(p)).WithReadTime(readTime)).ToArray();
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        Run(cancellationToken, this, () => Write(writes, atomic: false, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        Run(cancellationToken, this, () => Write(writes, atomic: true, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Run(cancellationToken, this, () => Query(query, cancellationToken));
    }

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

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private IReadOnlyList<WriteOutcome> Write(IReadOnlyList<DocumentWrite> writes, bool atomic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count > MaxBatchSize)
        {
            throw new ArgumentException($"A batch holds at most {MaxBatchSize} writes; this one has {writes.Count}. Split it.", nameof(writes));
        }

        foreach (var write in writes)
        {
            ArgumentNullException.ThrowIfNull(write, nameof(writes));
            CheckPath(write.Path, nameof(writes));
        }

        if (writes.Count == 0)
        {
            return [];
        }

        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: writers take turns
        var commitMicros = NextCommitMicros(connection, transaction);
        var commitTime = Timestamp.FromUnixMicroseconds(commitMicros);
        var current = ReadRows(connection, transaction, writes.Select(w => w.Path).Distinct(), cancellationToken);
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
            using var advance = Command(connection, transaction, "UPDATE seeding_meta SET value = $v WHERE key = 'last_commit_micros'");
            advance.Parameters.AddWithValue("$v", commitMicros);
            advance.ExecuteNonQuery();
        }

        transaction.Commit();
        LogCommitted(_logger, writes.Count, changed.Count, atomic ? "commit" : "batch", commitTime);
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
        using var upsert = Command(connection, transaction, """
            INSERT OR REPLACE INTO seeding_documents (collection, id, fields, create_time, update_time)
            VALUES ($collection, $id, $fields, $create, $update)
            """);
        var upsertCollection = upsert.Parameters.Add("$collection", SqliteType.Text);
        var upsertId = upsert.Parameters.Add("$id", SqliteType.Text);
        var upsertFields = upsert.Parameters.Add("$fields", SqliteType.Blob);
        var upsertCreate = upsert.Parameters.Add("$create", SqliteType.Integer);
        var upsertUpdate = upsert.Parameters.Add("$update", SqliteType.Integer);
        using var delete = Command(connection, transaction, "DELETE FROM seeding_documents WHERE collection = $collection AND id = $id");
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

    // Called inside the write transaction, so processes sharing the file see one strictly increasing sequence.
    private long NextCommitMicros(SqliteConnection connection, SqliteTransaction transaction) =>
        Math.Max(Now(), LastCommitMicros(connection, transaction) + 1);

    private static long LastCommitMicros(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var read = Command(connection, transaction, "SELECT value FROM seeding_meta WHERE key = 'last_commit_micros'");
        return Convert.ToInt64(read.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    private long Now() => Timestamp.FromDateTimeOffset(_time.GetUtcNow()).UnixMicroseconds;

    private static string? PreconditionProblem(Precondition precondition, StoredRow? existing) => precondition switch
    {
        { Exists: false } when existing is not null => "the document already exists",
        { Exists: true } when existing is null => "the document does not exist",
        { UpdateTime: { } expected } when existing is null => $"the document does not exist (expected update time {expected})",
        { UpdateTime: { } expected } when existing!.UpdateMicros != expected.UnixMicroseconds =>
            $"the document was changed at {Timestamp.FromUnixMicroseconds(existing.UpdateMicros)}, not at {expected}",
        _ => null,
    };

    private IReadOnlyList<DocumentSnapshot> Query(DocumentQuery query, CancellationToken cancellationToken)
    {
        DocumentPath.ValidateCollectionPath(query.Collection);
        CheckText(query.Collection, nameof(query));
        if (query.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "A query limit cannot be negative.");
        }

        if (query.StartAfter is not null)
        {
            CheckPath(query.StartAfter, nameof(query));
        }

        var filters = query.Filters ?? [];
        foreach (var filter in filters)
        {
            ArgumentNullException.ThrowIfNull(filter, nameof(query));
            if (filter.Operator == FilterOperator.Equal && filter.Value is null)
            {
                throw new ArgumentException($"The equality filter on '{filter.Field}' has no value.", nameof(query));
            }
        }

        var (nothingAfter, afterId) = Cursor(query.Collection, query.StartAfter);
        if (nothingAfter || query.Limit == 0)
        {
            return [];
        }

        using var connection = Open();
        var sql = new StringBuilder("SELECT id, fields, create_time, update_time FROM seeding_documents WHERE collection = $collection");
        if (afterId is not null)
        {
            sql.Append(" AND id > $after");
        }

        if (filters.Count > 0)
        {
            // Filters run on the decoded values, with the contract's own FieldFilter semantics, inside the scan:
            // SQLite walks the collection in id order and stops at the limit, so memory stays flat.
            var names = filters.Select(f => f.Field).ToHashSet(StringComparer.Ordinal);
            connection.CreateFunction<byte[], bool>(
                MatchFunction,
                fields =>
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return false;
                    }

                    var decoded = FieldCodec.DecodeFields(fields, names);
                    return filters.All(f => f.Matches(decoded));
                },
                isDeterministic: false);
            sql.Append(" AND ").Append(MatchFunction).Append("(fields)");
        }

        sql.Append(" ORDER BY id");
        if (query.Limit is not null)
        {
            sql.Append(" LIMIT $limit");
        }

        try
        {
            using var command = Command(connection, null, sql.ToString());
            command.Parameters.AddWithValue("$collection", query.Collection);
            if (afterId is not null)
            {
                command.Parameters.AddWithValue("$after", afterId);
            }

            if (query.Limit is { } limit)
            {
                command.Parameters.AddWithValue("$limit", limit);
            }

            var results = new List<DocumentSnapshot>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = DocumentPath.Create(query.Collection, reader.GetString(0));
                results.Add(new StoredRow(reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.GetInt64(3)).ToSnapshot(path));
            }

            cancellationToken.ThrowIfCancellationRequested();
            return results;
        }
        finally
        {
            if (filters.Count > 0)
            {
                connection.CreateFunction(MatchFunction, (Func<byte[], bool>?)null);
            }
        }
    }

    // Where the cursor puts the query's collection: wholly before it (nothing to return), wholly after it
    // (no id condition), or inside it (ids after one id). Segments compare in UTF-8 order, as ids do in SQL.
    private static (bool NothingAfter, string? AfterId) Cursor(string collection, DocumentPath? startAfter)
    {
        if (startAfter is null)
        {
            return (false, null);
        }

        var collectionSegments = collection.Split('/');
        var cursorSegments = startAfter.ToString().Split('/');
        for (var i = 0; i < collectionSegments.Length; i++)
        {
            if (i >= cursorSegments.Length)
            {
                return (false, null);
            }

            var order = Utf8Order.Compare(collectionSegments[i], cursorSegments[i]);
            if (order != 0)
            {
                return (order < 0, null);
            }
        }

        // The cursor is in this collection, or below one of its documents: documents with a greater id follow it.
        return (false, cursorSegments[collectionSegments.Length]);
    }

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

    private static Task<T> Run<T>(CancellationToken cancellationToken, SqliteDocumentStore store, Func<T> body)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(body());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        catch (SqliteException ex)
        {
            return Task.FromException<T>(store.Translate(ex));
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private Exception Translate(SqliteException ex) => ex.SqliteErrorCode switch
    {
        14 => new IOException($"Cannot open database file '{_fullPath}': {ex.Message} Check the directory exists and is writable.", ex),
        26 => new IOException($"'{_fullPath}' is not a SQLite database (or is encrypted): {ex.Message} Point the store at a Seeding database file or a new path.", ex),
        8 => new IOException($"Database file '{_fullPath}' is read-only: {ex.Message} Check the file and its directory are writable.", ex),
        5 or 6 => new TimeoutException($"Database file '{_fullPath}' stayed locked by another connection or process for longer than {_options.BusyTimeout}: {ex.Message}", ex),
        _ => ex,
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Opened SQLite document store {Path}")]
    private static partial void LogOpened(ILogger logger, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "SQLite database {Path} could not switch to WAL mode (journal mode is {Mode}); concurrent readers will wait for writers")]
    private static partial void LogNoWal(ILogger logger, string path, string mode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Trace, Message = "Applied {Changed} of {Count} writes ({Kind}) at {CommitTime}")]
    private static partial void LogCommitted(ILogger logger, int count, int changed, string kind, Timestamp commitTime);

    private sealed record StoredRow(byte[] Fields, long CreateMicros, long UpdateMicros)
    {
        public DocumentSnapshot ToSnapshot(DocumentPath path) => DocumentSnapshot.Found(
            path,
            FieldCodec.Decode(Fields).AsReadOnly(),
            Timestamp.FromUnixMicroseconds(CreateMicros),
            Timestamp.FromUnixMicroseconds(UpdateMicros));
    }
}
