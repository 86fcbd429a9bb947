using Seeding.Store;

namespace Seeding.Firestore;

/// <summary>
/// Reads a whole query as one RunQuery server stream, resumed after the last document received when it breaks with a
/// transient fault; see <c>QueryStream</c>.
/// </summary>
public sealed partial class FirestoreDocumentStore : IStreamingQueryStore
{
    /// <inheritdoc />
    public IAsyncEnumerable<DocumentSnapshot> StreamAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
        _stream.StreamAsync(query, keysOnly: false, cancellationToken);
}
