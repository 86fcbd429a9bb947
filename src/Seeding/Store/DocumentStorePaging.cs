using System.Runtime.CompilerServices;

namespace Seeding.Store;

/// <summary>Reads whole collections as a stream or page by page, so memory stays flat however large the collection is.</summary>
public static class DocumentStorePaging
{
    /// <summary>
    /// Streams every document matching <paramref name="query"/> (its own <see cref="DocumentQuery.Limit"/> is ignored, its
    /// <see cref="DocumentQuery.StartAfter"/> is the starting point), in path order up to its <see cref="DocumentQuery.EndAt"/>.
    /// A store that offers <see cref="IStreamingQueryStore"/> reads it as one stream (Firestore: one RunQuery for the
    /// whole query); any other store one <see cref="IDocumentStore.QueryAsync"/> call per <paramref name="pageSize"/>
    /// documents, each page resuming after the last document of the previous one.
    /// </summary>
    /// <remarks>
    /// The store object itself is asked, not <see cref="StoreCapabilities.Streaming"/>: a store that wraps another (a
    /// saved plan's observing store, a test's fault store) and does not stream is read through its own
    /// <see cref="IDocumentStore.QueryAsync"/>, so nothing it does is bypassed.
    /// </remarks>
    public static async IAsyncEnumerable<DocumentSnapshot> QueryAllAsync(
        this IDocumentStore store,
        DocumentQuery query,
        int pageSize = 500,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        if (store is IStreamingQueryStore streaming)
        {
            await foreach (var document in streaming.StreamAsync(query with { Limit = null }, cancellationToken).ConfigureAwait(false))
            {
                yield return document;
            }

            yield break;
        }

        var page = query with { Limit = pageSize };
        while (true)
        {
            var documents = await store.QueryAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var document in documents)
            {
                yield return document;
            }

            // A short page is the last one: no extra round trip to learn that nothing follows.
            if (documents.Count < pageSize)
            {
                yield break;
            }

            page = page with { StartAfter = documents[^1].Path };
        }
    }
}
