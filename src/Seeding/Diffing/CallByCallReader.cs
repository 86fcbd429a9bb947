using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Diffing;

/// <summary>
/// Reads for a store that offers no snapshot (<see cref="StoreCapabilities.Snapshots"/> is null): each call on its own,
/// counts by reading pages. The diff's result says so in <see cref="DiffResult.Consistency"/>.
/// </summary>
internal sealed class CallByCallReader(IDocumentStore store) : ISnapshotReader
{
    public string Consistency => "none: each read at its own time (the store offers no snapshot)";

    public Timestamp? ReadTime => null;

    public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
        store.GetAllAsync(paths, cancellationToken);

    public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
        store.QueryAsync(query, cancellationToken);

    public async Task<long> CountAsync(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        long count = 0;
        DocumentPath? after = null;
        while (true)
        {
            var page = await store.QueryAsync(query with { Limit = SeedPlanner.StreamChunk, StartAfter = after }, cancellationToken).ConfigureAwait(false);
            count += page.Count;
            if (page.Count < SeedPlanner.StreamChunk)
            {
                return count;
            }

            after = page[^1].Path;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
