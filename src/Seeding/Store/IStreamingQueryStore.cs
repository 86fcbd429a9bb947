namespace Seeding.Store;

/// <summary>
/// A store that reads a whole query as one stream (Firestore: one RunQuery server stream, gRPC flow control as the
/// read-ahead) instead of one call per page: the documents arrive as the server sends them, and a stream broken by a
/// transient fault goes on after the last document received. <see cref="DocumentStorePaging.QueryAllAsync"/> uses it when
/// the store it is called on offers it, so every caller that reads a whole collection (pull, backfills, migrations,
/// diff) gains without asking. Offered through <see cref="StoreCapabilities.Streaming"/> as well.
/// </summary>
public interface IStreamingQueryStore
{
    /// <summary>
    /// Every document <paramref name="query"/> matches, in path order: after its <see cref="DocumentQuery.StartAfter"/>,
    /// up to and including its <see cref="DocumentQuery.EndAt"/>, at most its <see cref="DocumentQuery.Limit"/> (null:
    /// all). Each document is yielded once, even when the stream is resumed after a fault.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the stream; stopping the enumeration ends it too.</param>
    IAsyncEnumerable<DocumentSnapshot> StreamAsync(DocumentQuery query, CancellationToken cancellationToken = default);
}
