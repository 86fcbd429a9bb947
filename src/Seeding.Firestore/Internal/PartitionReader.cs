using System.Runtime.CompilerServices;
using Grpc.Core;
using Seeding.Documents;
using Seeding.Store;
using Proto = Seeding.Firestore.Protocol;
using SQ = Seeding.Firestore.Protocol.StructuredQuery;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Splits a collection for a backfill's partitions. Production Firestore answers the PartitionQuery RPC (a collection
/// group query over the collection's id, ordered by name, as the RPC requires; split points in other collections of
/// the same id are dropped, since a query of one collection cannot start there). The emulator answers PartitionQuery
/// with UNIMPLEMENTED (cloud-firestore-emulator 1.19.9): then the collection's keys are read once with a keys-only
/// query (<c>select __name__</c>, one stream: pages with a cursor cost the emulator more the further they start) and
/// split at sampled quantiles (<see cref="KeyRangeSplit"/>).
/// </summary>
internal sealed class PartitionReader(FirestoreCalls calls, QueryStream stream)
{
    public async Task<IReadOnlyList<DocumentPath>> SplitAsync(string collection, int partitionCount, CancellationToken cancellationToken)
    {
        DocumentPath.ValidateCollectionPath(collection);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        if (partitionCount == 1)
        {
            return [];
        }

        var points = await PartitionQueryAsync(collection, partitionCount, cancellationToken).ConfigureAwait(false);
        return points ?? await KeyRangeSplit.FromOrderedKeysAsync(KeysAsync(collection, cancellationToken), partitionCount, cancellationToken).ConfigureAwait(false);
    }

    // The split points PartitionQuery returns (sorted: the RPC does not promise an order), or null when it is unimplemented.
    private async Task<IReadOnlyList<DocumentPath>?> PartitionQueryAsync(string collection, int partitionCount, CancellationToken cancellationToken)
    {
        var (_, collectionId) = calls.Names.QueryTarget(collection);
        var structured = new SQ();
        structured.From.Add(new SQ.Types.CollectionSelector { CollectionId = collectionId, AllDescendants = true });
        structured.OrderBy.Add(new SQ.Types.Order { Field = new SQ.Types.FieldReference { FieldPath = "__name__" }, Direction = SQ.Types.Direction.Ascending });
        var points = new List<DocumentPath>();
        var pageToken = string.Empty;
        do
        {
            var request = new Proto.PartitionQueryRequest
            {
                Parent = calls.Names.DocumentsRoot, StructuredQuery = structured, PartitionCount = partitionCount - 1, PageToken = pageToken,
            };
            var reply = await calls.Transport.RunAsync(
                "PartitionQuery", calls.Names.Database, calls.Read, calls.Headers,
                options => calls.Client.PartitionQueryAsync(request, options).ResponseAsync, StatusCode.Unimplemented, calls.Fail, cancellationToken).ConfigureAwait(false);
            if (reply.Value is not { } response)
            {
                return null;
            }

            foreach (var cursor in response.Partitions)
            {
                if (cursor.Values.Count == 1 && calls.Names.TryToPath(cursor.Values[0].ReferenceValue, out var path) && path.Collection == collection)
                {
                    points.Add(path);
                }
            }

            pageToken = response.NextPageToken;
        }
        while (!string.IsNullOrEmpty(pageToken));

        // A PartitionQuery cursor starts a partition (start_at, inclusive); our split points end one (inclusive). The
        // key just before a cursor is not known, so each cursor ends the partition before it: the document at the
        // cursor falls one partition earlier, which still covers every key exactly once.
        return points.Distinct().Order().ToArray();
    }

    private async IAsyncEnumerable<DocumentPath> KeysAsync(string collection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var key in stream.StreamAsync(new DocumentQuery(collection, []), keysOnly: true, cancellationToken).ConfigureAwait(false))
        {
            yield return key.Path;
        }
    }
}
