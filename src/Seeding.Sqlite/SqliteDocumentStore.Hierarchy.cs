using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Sqlite;

/// <summary>The hierarchy (<see cref="IHierarchyStore"/>): subcollections and collection groups from the table's collection paths.</summary>
public sealed partial class SqliteDocumentStore : IHierarchyStore
{
    /// <inheritdoc />
    /// <remarks>One range scan of the (collection, id) key: every collection path below the document starts with its path and a slash.</remarks>
    public Task<IReadOnlyList<string>> ListCollectionIdsAsync(DocumentPath document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Run(cancellationToken, this, () =>
        {
            SqliteDatabase.CheckPath(document, nameof(document));
            var prefix = document + "/";
            // In UTF-8 byte order (SQLite's BINARY collation) every text starting with "path/" lies in ["path/", "path0").
            var below = CollectionPaths("collection >= $low AND collection < $high", ("$low", prefix), ("$high", document + "0"));
            IReadOnlyList<string> ids = below.Where(c => c.StartsWith(prefix, StringComparison.Ordinal))
                .Select(c => c[prefix.Length..].Split('/')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            return ids;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListCollectionGroupAsync(string collectionId, IReadOnlyList<FieldFilter> filters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        CollectionGroups.ValidateId(collectionId);
        return Run(cancellationToken, this, () =>
        {
            SqliteDatabase.CheckText(collectionId, nameof(collectionId));
            IReadOnlyList<string> paths = CollectionPaths("1 = 1")
                .Where(c => CollectionGroups.Contains(c, collectionId))
                .Where(c => filters.Count == 0 || SqliteQueries.Query(_database, new DocumentQuery(c, filters, 1), cancellationToken).Count > 0)
                .Order(StringComparer.Ordinal).ToArray();
            return paths;
        });
    }

    private List<string> CollectionPaths(string where, params (string Name, string Value)[] parameters)
    {
        using var connection = _database.Open();
        using var command = SqliteDatabase.Command(connection, null, "SELECT DISTINCT collection FROM seeding_documents WHERE " + where);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var paths = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            paths.Add(reader.GetString(0));
        }

        return paths;
    }
}
