using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Store;

/// <summary>The in-memory store's snapshots: a copy of its documents taken under its lock (documents are immutable, so the copy holds references).</summary>
public sealed partial class InMemoryDocumentStore : ISnapshotReadStore
{
    /// <inheritdoc />
    public Task<ISnapshotReader> OpenSnapshotAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var readTime = Timestamp.FromUnixMicroseconds(Math.Max(Timestamp.FromDateTimeOffset(_time.GetUtcNow()).UnixMicroseconds, _lastCommitMicros));
            var copy = new InMemoryDocumentStore(_time);
            foreach (var (path, document) in _documents)
            {
                copy._documents.Add(path, document);
            }

            return Task.FromResult<ISnapshotReader>(new SnapshotReader(this, copy, readTime));
        }
    }

    // Reads go to the copy; the calls are counted on the store, so tests see the diff's round trips.
    private sealed class SnapshotReader(InMemoryDocumentStore store, InMemoryDocumentStore copy, Timestamp readTime) : ISnapshotReader
    {
        public string Consistency => "a copy of the in-memory store taken under its lock";

        public Timestamp? ReadTime => readTime;

        public async Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref store._readCalls);
            var found = await copy.GetAllAsync(paths, cancellationToken).ConfigureAwait(false);
            return found.Select(s => s.WithReadTime(readTime)).ToArray();
        }

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref store._queryCalls);
            return copy.QueryAsync(query, cancellationToken);
        }

        public async Task<long> CountAsync(DocumentQuery query, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(query);
            Interlocked.Increment(ref store._queryCalls);
            var all = await copy.QueryAsync(query with { Limit = null, StartAfter = null }, cancellationToken).ConfigureAwait(false);
            return all.Count;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
