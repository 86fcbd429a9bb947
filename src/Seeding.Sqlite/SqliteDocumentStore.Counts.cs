using Seeding.Store;

namespace Seeding.Sqlite;

/// <summary>Counting a collection for a backfill's ETA (see <see cref="IDocumentCountStore"/>).</summary>
public sealed partial class SqliteDocumentStore : IDocumentCountStore
{
    /// <summary>
    /// The documents of a query without filters, from the collection's index (no document is read); null for a query
    /// with filters, which SQLite matches on decoded values and could only count by reading every document.
    /// </summary>
    /// <param name="query">The query; its limit and cursor are ignored.</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    public Task<long?> CountAsync(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Documents.DocumentPath.ValidateCollectionPath(query.Collection);
        if (query.Filters is { Count: > 0 })
        {
            return Task.FromResult<long?>(null);
        }

        return Run<long?>(cancellationToken, this, () =>
        {
            using var connection = _database.Open();
            using var command = SqliteDatabase.Command(connection, null, "SELECT COUNT(*) FROM seeding_documents WHERE collection = $collection");
            command.Parameters.AddWithValue("$collection", query.Collection);
            return (long)command.ExecuteScalar()!;
        });
    }
}
