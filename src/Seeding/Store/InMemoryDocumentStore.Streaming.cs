using System.Runtime.CompilerServices;

namespace Seeding.Store;

/// <summary>The in-memory store streams a query as one read: the matching documents as of the call, one counted query.</summary>
public sealed partial class InMemoryDocumentStore : IStreamingQueryStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<DocumentSnapshot> StreamAsync(DocumentQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var document in await QueryAsync(query, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return document;
        }
    }
}
