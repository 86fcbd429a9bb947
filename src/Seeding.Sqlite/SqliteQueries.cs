using System.Text;
using Microsoft.Data.Sqlite;
using Seeding.Documents;
using Seeding.Store;

namespace Seeding.Sqlite;

/// <summary>Queries: one collection scanned in id order, filters matched on decoded values inside the scan, cursors in UTF-8 order.</summary>
internal static class SqliteQueries
{
    private const string MatchFunction = "seeding_matches";

    public static IReadOnlyList<DocumentSnapshot> Query(SqliteDatabase database, DocumentQuery query, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        return Query(connection, null, query, cancellationToken);
    }

    /// <summary>The query on an open connection (inside <paramref name="transaction"/>, a snapshot's read transaction, when given).</summary>
    public static IReadOnlyList<DocumentSnapshot> Query(SqliteConnection connection, SqliteTransaction? transaction, DocumentQuery query, CancellationToken cancellationToken) =>
        Run(connection, transaction, query, count: false, cancellationToken, command =>
        {
            var results = new List<DocumentSnapshot>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = DocumentPath.Create(query.Collection, reader.GetString(0));
                results.Add(new StoredRow(reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.GetInt64(3)).ToSnapshot(path));
            }

            return results;
        }) ?? [];

    /// <summary>How many documents the query matches (limit and cursor ignored): <c>COUNT(*)</c> over the same scan.</summary>
    public static long Count(SqliteConnection connection, SqliteTransaction? transaction, DocumentQuery query, CancellationToken cancellationToken) =>
        Run(connection, transaction, query with { Limit = null, StartAfter = null }, count: true, cancellationToken, command => new[] { Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) })?[0] ?? 0;

    // The one place a query becomes SQL: null when it can match nothing without a scan.
    private static T[]? Run<T>(SqliteConnection connection, SqliteTransaction? transaction, DocumentQuery query, bool count, CancellationToken cancellationToken, Func<SqliteCommand, IEnumerable<T>> execute)
    {
        DocumentPath.ValidateCollectionPath(query.Collection);
        SqliteDatabase.CheckText(query.Collection, nameof(query));
        if (query.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "A query limit cannot be negative.");
        }

        if (query.StartAfter is not null)
        {
            SqliteDatabase.CheckPath(query.StartAfter, nameof(query));
        }

        var filters = query.Filters ?? [];
        foreach (var filter in filters)
        {
            ArgumentNullException.ThrowIfNull(filter, nameof(query));
            if (filter.Operator == FilterOperator.Equal && filter.Value is null)
            {
                throw new ArgumentException($"The equality filter on '{filter.Field}' has no value.", nameof(query));
            }
        }

        if (query.EndAt is not null)
        {
            SqliteDatabase.CheckPath(query.EndAt, nameof(query));
        }

        var (nothingAfter, afterId) = Cursor(query.Collection, query.StartAfter);
        var (endPosition, endId) = Position(query.Collection, query.EndAt);
        if (nothingAfter || endPosition > 0 || query.Limit == 0)
        {
            return null;
        }

        var sql = new StringBuilder(count ? "SELECT COUNT(*) FROM seeding_documents WHERE collection = $collection" : "SELECT id, fields, create_time, update_time FROM seeding_documents WHERE collection = $collection");
        if (afterId is not null)
        {
            sql.Append(" AND id > $after");
        }

        if (endId is not null)
        {
            sql.Append(" AND id <= $end");
        }

        if (filters.Count > 0)
        {
            // Filters run on the decoded values, with the contract's own FieldFilter semantics, inside the scan:
            // SQLite walks the collection in id order and stops at the limit, so memory stays flat.
            var names = filters.Select(f => f.Field).ToHashSet(StringComparer.Ordinal);
            connection.CreateFunction<byte[], bool>(
                MatchFunction,
                fields =>
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return false;
                    }

                    var decoded = FieldCodec.DecodeFields(fields, names);
                    return filters.All(f => f.Matches(decoded));
                },
                isDeterministic: false);
            sql.Append(" AND ").Append(MatchFunction).Append("(fields)");
        }

        sql.Append(count ? string.Empty : " ORDER BY id");
        if (query.Limit is not null)
        {
            sql.Append(" LIMIT $limit");
        }

        try
        {
            using var command = SqliteDatabase.Command(connection, transaction, sql.ToString());
            command.Parameters.AddWithValue("$collection", query.Collection);
            if (afterId is not null)
            {
                command.Parameters.AddWithValue("$after", afterId);
            }

            if (endId is not null)
            {
                command.Parameters.AddWithValue("$end", endId);
            }

            if (query.Limit is { } limit)
            {
                command.Parameters.AddWithValue("$limit", limit);
            }

            var results = execute(command).ToArray();
            cancellationToken.ThrowIfCancellationRequested();
            return results;
        }
        finally
        {
            if (filters.Count > 0)
            {
                connection.CreateFunction(MatchFunction, (Func<byte[], bool>?)null);
            }
        }
    }

    // Where an end bound puts the query's collection: wholly before it (-1: no id condition), wholly after it (1: nothing
    // to return), or inside it (0: ids up to one id, inclusive). A bound below a document of the collection keeps that document.
    private static (int Position, string? UpToId) Position(string collection, DocumentPath? endAt)
    {
        if (endAt is null)
        {
            return (-1, null);
        }

        var collectionSegments = collection.Split('/');
        var boundSegments = endAt.ToString().Split('/');
        for (var i = 0; i < collectionSegments.Length; i++)
        {
            if (i >= boundSegments.Length)
            {
                return (1, null);
            }

            var order = Utf8Order.Compare(collectionSegments[i], boundSegments[i]);
            if (order != 0)
            {
                return (order < 0 ? -1 : 1, null);
            }
        }

        return (0, boundSegments[collectionSegments.Length]);
    }

    // Where the cursor puts the query's collection: wholly before it (nothing to return), wholly after it
    // (no id condition), or inside it (ids after one id). Segments compare in UTF-8 order, as ids do in SQL.
    private static (bool NothingAfter, string? AfterId) Cursor(string collection, DocumentPath? startAfter)
    {
        if (startAfter is null)
        {
            return (false, null);
        }

        var collectionSegments = collection.Split('/');
        var cursorSegments = startAfter.ToString().Split('/');
        for (var i = 0; i < collectionSegments.Length; i++)
        {
            if (i >= cursorSegments.Length)
            {
                return (false, null);
            }

            var order = Utf8Order.Compare(collectionSegments[i], cursorSegments[i]);
            if (order != 0)
            {
                return (order < 0, null);
            }
        }

        // The cursor is in this collection, or below one of its documents: documents with a greater id follow it.
        return (false, cursorSegments[collectionSegments.Length]);
    }
}
