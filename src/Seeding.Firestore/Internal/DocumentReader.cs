using Grpc.Core;
using Seeding.Documents;
using Seeding.Store;
using Proto = Seeding.Firestore.Protocol;

namespace Seeding.Firestore.Internal;

/// <summary>
/// The store's reads: BatchGetDocuments per chunk of paths, RunQuery per query, ListCollectionIds per page, each one call with the read policy's
/// retries (a read is always safe to send again).
/// </summary>
internal sealed class DocumentReader(FirestoreCalls calls, ValueConverter values, QueryBuilder queries, int chunkSize)
{
    private ResourceNames Names => calls.Names;

    public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken) =>
        GetAllAsync(paths, null, cancellationToken);

    /// <summary>Reads the paths as of <paramref name="readTime"/> (null: now); each snapshot carries the read time Firestore used.</summary>
    public async Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, Values.Timestamp? readTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        // Each distinct path is asked for once; duplicates in the input share its snapshot.
        var distinct = paths.Distinct().ToList();
        var found = new Dictionary<DocumentPath, DocumentSnapshot>(distinct.Count);
        foreach (var chunk in distinct.Chunk(chunkSize))
        {
            var names = chunk.Select(Names.DocumentName).ToList();
            var snapshots = await calls.RunAsync("BatchGetDocuments", calls.Read, options => ReadChunkAsync(names, readTime, options), cancellationToken).ConfigureAwait(false);
            foreach (var snapshot in snapshots)
            {
                found[snapshot.Path] = snapshot;
            }
        }

        return paths.Select(p => found.TryGetValue(p, out var s) ? s : DocumentSnapshot.Missing(p)).ToArray();
    }

    public async Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken) =>
        (await QueryAsync(query, null, cancellationToken).ConfigureAwait(false)).Documents;

    /// <summary>Runs the query as of <paramref name="readTime"/> (null: now) and returns the read time Firestore used.</summary>
    public async Task<(IReadOnlyList<DocumentSnapshot> Documents, Values.Timestamp? ReadTime)> QueryAsync(DocumentQuery query, Values.Timestamp? readTime, CancellationToken cancellationToken)
    {
        var request = queries.Build(query);
        if (readTime is { } at)
        {
            request.ReadTime = ValueConverter.ToProto(at);
        }

        return await calls.RunAsync("RunQuery", calls.Read, async options =>
        {
            using var call = calls.Client.RunQuery(request, options);
            var result = new List<DocumentSnapshot>();
            Values.Timestamp? usedTime = null;
            await foreach (var response in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
            {
                usedTime ??= response.ReadTime is { } time ? ValueConverter.FromProto(time) : null;
                if (response.Document is { } document)
                {
                    result.Add(ToSnapshot(document));
                }
            }

            return Tuple.Create((IReadOnlyList<DocumentSnapshot>)result, usedTime);
        }, cancellationToken).ConfigureAwait(false) is var (documents, used) ? (documents, used) : default;
    }

    /// <summary>Counts the query's documents with a COUNT aggregation (RunAggregationQuery), as of <paramref name="readTime"/> (null: now).</summary>
    public async Task<(long Count, Values.Timestamp? ReadTime)> CountAsync(DocumentQuery query, Values.Timestamp? readTime, CancellationToken cancellationToken)
    {
        var built = queries.Build(query with { Limit = null, StartAfter = null });
        var structured = built.StructuredQuery.Clone();
        structured.OrderBy.Clear(); // an aggregation needs no order
        var aggregation = new Proto.StructuredAggregationQuery { StructuredQuery = structured };
        aggregation.Aggregations.Add(new Proto.StructuredAggregationQuery.Types.Aggregation
        {
            Alias = "count",
            Count = new Proto.StructuredAggregationQuery.Types.Aggregation.Types.Count(),
        });
        var request = new Proto.RunAggregationQueryRequest { Parent = built.Parent, StructuredAggregationQuery = aggregation };
        if (readTime is { } at)
        {
            request.ReadTime = ValueConverter.ToProto(at);
        }

        return await calls.RunAsync("RunAggregationQuery", calls.Read, async options =>
        {
            using var call = calls.Client.RunAggregationQuery(request, options);
            long count = 0;
            Values.Timestamp? usedTime = null;
            await foreach (var response in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
            {
                usedTime ??= response.ReadTime is { } time ? ValueConverter.FromProto(time) : null;
                if (response.Result is { } result && result.AggregateFields.TryGetValue("count", out var value))
                {
                    count = value.IntegerValue;
                }
            }

            return Tuple.Create(count, usedTime);
        }, cancellationToken).ConfigureAwait(false) is var (total, used) ? (total, used) : default;
    }

    public async Task<IReadOnlyList<string>> ListCollectionIdsAsync(DocumentPath document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var ids = new List<string>();
        var request = new Proto.ListCollectionIdsRequest { Parent = Names.DocumentName(document), PageSize = 1000 };
        do
        {
            var response = await calls.RunAsync("ListCollectionIds", calls.Read, options => calls.Client.ListCollectionIdsAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
            ids.AddRange(response.CollectionIds);
            request.PageToken = response.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public async Task<IReadOnlyList<string>> ListCollectionGroupAsync(string collectionId, IReadOnlyList<FieldFilter> filters, CancellationToken cancellationToken)
    {
        const int PageSize = 1000;
        var collections = new HashSet<string>(StringComparer.Ordinal);
        DocumentPath? after = null;
        while (true)
        {
            var request = queries.BuildGroupNames(collectionId, filters, PageSize, after);
            var page = await calls.RunAsync("RunQuery", calls.Read, async options =>
            {
                using var call = calls.Client.RunQuery(request, options);
                var names = new List<DocumentPath>();
                await foreach (var response in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
                {
                    if (response.Document is { } document)
                    {
                        names.Add(Names.ToPath(document.Name));
                    }
                }

                return names;
            }, cancellationToken).ConfigureAwait(false);
            collections.UnionWith(page.Select(p => p.Collection));
            if (page.Count < PageSize)
            {
                return collections.Order(StringComparer.Ordinal).ToArray();
            }

            after = page[^1];
        }
    }

    private async Task<List<DocumentSnapshot>> ReadChunkAsync(List<string> names, Values.Timestamp? asOf, CallOptions options)
    {
        var request = new Proto.BatchGetDocumentsRequest { Database = Names.Database };
        if (asOf is { } at)
        {
            request.ReadTime = ValueConverter.ToProto(at);
        }

        request.Documents.AddRange(names);
        using var call = calls.Client.BatchGetDocuments(request, options);
        var result = new List<DocumentSnapshot>(names.Count);
        await foreach (var response in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
        {
            DocumentSnapshot? snapshot = response.ResultCase switch
            {
                Proto.BatchGetDocumentsResponse.ResultOneofCase.Found => ToSnapshot(response.Found),
                Proto.BatchGetDocumentsResponse.ResultOneofCase.Missing => DocumentSnapshot.Missing(Names.ToPath(response.Missing)),
                _ => null,
            };
            if (snapshot is not null)
            {
                // Firestore's read time: the store's clock, by which lease expiry is judged.
                result.Add(response.ReadTime is { } readTime ? snapshot.WithReadTime(ValueConverter.FromProto(readTime)) : snapshot);
            }
        }

        return result;
    }

    /// <summary>A document of an answer as a snapshot.</summary>
    public DocumentSnapshot ToSnapshot(Proto.Document document) => DocumentSnapshot.Found(
        Names.ToPath(document.Name),
        values.FromFields(document.Fields),
        ValueConverter.FromProto(document.CreateTime),
        ValueConverter.FromProto(document.UpdateTime));
}
