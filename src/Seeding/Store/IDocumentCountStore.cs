namespace Seeding.Store;

/// <summary>
/// Implemented by a store that can count a query's documents without reading them (an index count), so a backfill can
/// show an ETA (<see cref="Running.BackfillProgress.Eta"/>). Optional; a store that would have to read every document to
/// count them answers null, and the ETA is then unknown.
/// </summary>
public interface IDocumentCountStore
{
    /// <summary>How many documents <paramref name="query"/> returns, when that is cheap to know; null otherwise.</summary>
    /// <param name="query">The query (its limit and cursor are ignored).</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    Task<long?> CountAsync(DocumentQuery query, CancellationToken cancellationToken = default);
}
