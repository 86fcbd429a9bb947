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
    private readonly SqliteStoreOptions _options;
    private readonly SqliteDatabase _database;

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
        _database = new SqliteDatabase(options, logger ?? NullLogger.Instance, time ?? TimeProvider.System);
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
            using var connection = store._database.Open();
            return store;
        });
    }

    /// <inheritdoc />
    public string Name => "sqlite:" + _options.DatabasePath;

    /// <inheritdoc />
    /// <remarks>500, as Firestore, so a runner batches the same way against every store.</remarks>
    public int MaxBatchSize => 500;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _database.FullPath;

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
                SqliteDatabase.CheckPath(path, nameof(paths));
            }

            using var connection = _database.Open();

            // Several statements read one consistent snapshot inside a (deferred) read transaction. The read time is
            // taken after the rows, so it is no earlier than any commit they show (each process's commits advance
            // last_commit_micros inside their write transaction).
            using var transaction = paths.Count > SqliteDatabase.PathsPerStatement ? connection.BeginTransaction(deferred: true) : null;
            var found = SqliteDatabase.ReadRows(connection, transaction, paths.Distinct(), cancellationToken);
            var readTime = Timestamp.FromUnixMicroseconds(Math.Max(_database.Now(), SqliteDatabase.LastCommitMicros(connection, transaction)));
            transaction?.Commit();
            return paths.Select(p => (found.TryGetValue(p, out var row) ? row.ToSnapshot(p) : DocumentSnapshot.Missing(p)).WithReadTime(readTime)).ToArray();
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        Run(cancellationToken, this, () => SqliteWrites.Write(_database, writes, atomic: false, MaxBatchSize, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        Run(cancellationToken, this, () => SqliteWrites.Write(_database, writes, atomic: true, MaxBatchSize, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Run(cancellationToken, this, () => SqliteQueries.Query(_database, query, cancellationToken));
    }

    /// <summary>Closes the pooled connections to the database file, so it can be moved or deleted.</summary>
    public void Dispose() => _database.Dispose();

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
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
            return Task.FromException<T>(store._database.Translate(ex));
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }
}
