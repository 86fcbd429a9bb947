using System.Runtime.CompilerServices;

namespace Seeding.Store;

/// <summary>Reads whole collections page by page, so memory stays flat however large the collection is.</summary>
public static class DocumentStorePaging
{
    /// <summary>
    /// Streams every document matching <paramref name="query"/> (its own <see cref="DocumentQuery.Limit"/> and
    /// <see cref="DocumentQuery.StartAfter"/> are the starting point and are otherwise ignored), one
    /// <see cref="IDocumentStore.QueryAsync"/> call per <paramref name="pageSize"/> documents, each page resuming
    /// after the last document of the previous one.
    /// </summary>
    public static async IAsyncEnumerable<DocumentSnapshot> QueryAllAsync(
        this IDocumentStore store,
        DocumentQuery query,
        int pageSize = 500,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
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
