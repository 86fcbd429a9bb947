using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Sqlite;

/// <summary>
/// SQLite splits a collection's key range at quantiles of its (collection, id) primary key: one count, then one
/// <c>ORDER BY id LIMIT 1 OFFSET k</c> per split point, each a walk of the index that reads no document.
/// </summary>
public sealed partial class SqliteDocumentStore : IPartitionQueryStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentPath>> SplitAsync(string collection, int partitionCount, CancellationToken cancellationToken = default)
    {
        DocumentPath.ValidateCollectionPath(collection);
        SqliteDatabase.CheckText(collection, nameof(collection));
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return Run<IReadOnlyList<DocumentPath>>(cancellationToken, this, () =>
        {
            using var connection = _database.Open();
            using var count = SqliteDatabase.Command(connection, null, "SELECT COUNT(*) FROM seeding_documents WHERE collection = $collection");
            count.Parameters.AddWithValue("$collection", collection);
            var total = (long)count.ExecuteScalar()!;
            var splits = new List<DocumentPath>(partitionCount - 1);
            using var at = SqliteDatabase.Command(connection, null, "SELECT id FROM seeding_documents WHERE collection = $collection ORDER BY id LIMIT 1 OFFSET $offset");
            at.Parameters.AddWithValue("$collection", collection);
            var offset = at.Parameters.AddWithValue("$offset", 0L);
            for (var i = 1; i < partitionCount; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // The last key of partition i-1: partitions are (split[i-1], split[i]].
                var index = total * i / partitionCount - 1;
                if (index < 0)
                {
                    continue;
                }

                offset.Value = index;
                if (at.ExecuteScalar() is string id)
                {
                    var split = DocumentPath.Create(collection, id);
                    if (splits.Count == 0 || splits[^1] != split)
                    {
                        splits.Add(split);
                    }
                }
            }

            return splits;
        });
    }
}
