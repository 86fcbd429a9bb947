using Microsoft.Data.Sqlite;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Sqlite;

/// <summary>The SQLite store's snapshots: one connection holding one deferred read transaction (WAL: writers go on, the reader sees the database as of its first read).</summary>
public sealed partial class SqliteDocumentStore : ISnapshotReadStore
{
    /// <inheritdoc />
    public Task<ISnapshotReader> OpenSnapshotAsync(CancellationToken cancellationToken = default) =>
        Run<ISnapshotReader>(cancellationToken, this, () =>
        {
            var connection = _database.Open();
            try
            {
                return new Snapshot(this, connection, connection.BeginTransaction(deferred: true));
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        });

    private sealed class Snapshot(SqliteDocumentStore store, SqliteConnection connection, SqliteTransaction transaction) : ISnapshotReader
    {
        private readonly Lock _gate = new();
        private Timestamp? _readTime;

        public string Consistency => "one SQLite read transaction";

        public Timestamp? ReadTime => _readTime;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(paths);
            return Run(cancellationToken, store, () =>
            {
                lock (_gate)
                {
                    foreach (var path in paths)
                    {
                        SqliteDatabase.CheckPath(path, nameof(paths));
                    }

                    var found = paths.Count == 0 ? [] : SqliteDatabase.ReadRows(connection, transaction, paths.Distinct(), cancellationToken);
                    var readTime = Fix();
                    return (IReadOnlyList<DocumentSnapshot>)paths
                        .Select(p => (found.TryGetValue(p, out var row) ? row.ToSnapshot(p) : DocumentSnapshot.Missing(p)).WithReadTime(readTime))
                        .ToArray();
                }
            });
        }

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(query);
            return Run(cancellationToken, store, () =>
            {
                lock (_gate)
                {
                    var result = SqliteQueries.Query(connection, transaction, query, cancellationToken);
                    Fix();
                    return result;
                }
            });
        }

        public Task<long> CountAsync(DocumentQuery query, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(query);
            return Run(cancellationToken, store, () =>
            {
                lock (_gate)
                {
                    var count = SqliteQueries.Count(connection, transaction, query, cancellationToken);
                    Fix();
                    return count;
                }
            });
        }

        public ValueTask DisposeAsync()
        {
            lock (_gate)
            {
                transaction.Dispose(); // rolls back: nothing was written
                connection.Dispose();
            }

            return ValueTask.CompletedTask;
        }

        // The snapshot's time: read once, inside the transaction, after its first read (no earlier than any commit it shows).
        private Timestamp Fix() =>
            _readTime ??= Timestamp.FromUnixMicroseconds(Math.Max(store._database.Now(), SqliteDatabase.LastCommitMicros(connection, transaction)));
    }
}
