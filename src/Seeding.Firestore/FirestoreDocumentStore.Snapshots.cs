using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Firestore;

/// <summary>
/// The Firestore store's snapshots: the first read runs at "now" and every later read (BatchGetDocuments, RunQuery,
/// RunAggregationQuery) passes its <c>read_time</c>, so all of them see the database as of that moment. Firestore keeps
/// old versions for an hour (seven days with point-in-time recovery): a longer diff fails with the server's error.
/// </summary>
public sealed partial class FirestoreDocumentStore : ISnapshotReadStore
{
    /// <inheritdoc />
    /// <remarks>No call is made until the first read.</remarks>
    public Task<ISnapshotReader> OpenSnapshotAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<ISnapshotReader>(new Snapshot(_reader));
    }

    private sealed class Snapshot(Internal.DocumentReader reader) : ISnapshotReader
    {
        private Timestamp? _readTime;

        public string Consistency => "Firestore read_time";

        public Timestamp? ReadTime => _readTime;

        public async Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default)
        {
            var found = await reader.GetAllAsync(paths, _readTime, cancellationToken).ConfigureAwait(false);
            _readTime ??= found.Select(s => s.ReadTime).FirstOrDefault(t => t is not null);
            return found;
        }

        public async Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default)
        {
            var (documents, readTime) = await reader.QueryAsync(query, _readTime, cancellationToken).ConfigureAwait(false);
            _readTime ??= readTime;
            return documents;
        }

        public async Task<long> CountAsync(DocumentQuery query, CancellationToken cancellationToken = default)
        {
            var (count, readTime) = await reader.CountAsync(query, _readTime, cancellationToken).ConfigureAwait(false);
            _readTime ??= readTime;
            return count;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
