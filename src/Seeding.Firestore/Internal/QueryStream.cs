using System.Runtime.CompilerServices;
using Grpc.Core;
using Seeding.Documents;
using Seeding.Store;
using Proto = Seeding.Firestore.Protocol;

namespace Seeding.Firestore.Internal;

/// <summary>
/// One query read as one RunQuery server stream: documents are yielded as they arrive, and gRPC's flow control is the
/// read-ahead (a consumer that stops reading stops the server). Paging a collection with a cursor costs the emulator
/// more per page the further the cursor is (quadratic overall); one stream costs it once.
/// <para>
/// A stream that breaks with a transient fault (the read policy of the Google transport decides, as for every read)
/// is resumed by a new RunQuery that starts after the last document received, with the query's filters, end bound and
/// what is left of its limit, so no document is yielded twice or skipped. Retries and the time budget count the breaks
/// in a row without a document in between (<see cref="GoogleCall.Progressed"/>). A stream has no deadline of its own:
/// instead each wait for the server's next message may take at most <see cref="CallTimes.AttemptTimeout"/>
/// (<c>CallTimeout</c>), which then counts as DEADLINE_EXCEEDED; time the consumer spends between documents is not
/// counted. The wait for each attempt's first message has its own limit, <paramref name="firstResult"/>
/// (<see cref="FirestoreStoreOptions.FirstResultTimeoutActive"/>): the emulator answers only once it has read the
/// query's whole result (a resumed stream too).
/// </para>
/// </summary>
internal sealed class QueryStream(FirestoreCalls calls, QueryBuilder queries, DocumentReader reader, TimeSpan firstResult)
{
    private const string Rpc = "RunQuery";

    /// <summary>Streams the documents <paramref name="query"/> matches, in its order.</summary>
    /// <param name="query">The query; its limit and cursor are where the stream starts and how much it reads.</param>
    /// <param name="keysOnly">Asks for the documents' names only (<c>select __name__</c>): their fields come back empty.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    public async IAsyncEnumerable<DocumentSnapshot> StreamAsync(DocumentQuery query, bool keysOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var remaining = query.Limit;
        var after = query.StartAfter;
        var attempts = calls.Transport.Start(Rpc, query.Collection, calls.Read, cancellationToken);
        while (remaining is null or > 0)
        {
            var request = queries.Build(query with { StartAfter = after, Limit = remaining });
            if (keysOnly)
            {
                request.StructuredQuery.Select = new Proto.StructuredQuery.Types.Projection();
                request.StructuredQuery.Select.Fields.Add(new Proto.StructuredQuery.Types.FieldReference { FieldPath = "__name__" });
            }

            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var call = calls.Client.RunQuery(request, attempts.NextStream(calls.Headers(), idle.Token));
            RpcException broken;
            var progressed = false;
            var answered = false;
            while (true)
            {
                Proto.RunQueryResponse response;
                try
                {
                    idle.CancelAfter(answered ? calls.Transport.Times.AttemptTimeout : firstResult);
                    if (!await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
                    {
                        yield break;
                    }

                    idle.CancelAfter(Timeout.InfiniteTimeSpan);
                    answered = true;
                    response = call.ResponseStream.Current;
                }
                catch (RpcException e)
                {
                    broken = e;
                    break;
                }

                if (response.Document is { } document)
                {
                    var snapshot = reader.ToSnapshot(document);
                    after = snapshot.Path;
                    remaining--;
                    progressed = true;
                    yield return snapshot;
                }

                if (response.Done)
                {
                    yield break;
                }
            }

            if (attempts.Canceled(broken) is { } canceled)
            {
                throw canceled;
            }

            if (broken.StatusCode == StatusCode.Cancelled && idle.IsCancellationRequested)
            {
                // Our idle timer, not the caller: the server sent nothing within the limit of this wait.
                broken = new RpcException(new Status(StatusCode.DeadlineExceeded, answered
                    ? $"no answer within CallTimeout ({calls.Transport.Times.AttemptTimeout.TotalSeconds:0.##} s) while streaming the query"
                    : $"no first answer within FirstResultTimeout ({firstResult.TotalSeconds:0.##} s) to the streamed query"), broken.Trailers);
            }

            if (progressed)
            {
                attempts.Progressed();
            }

            if (!await attempts.RetryAfterAsync(broken).ConfigureAwait(false))
            {
                throw attempts.GiveUp(broken, calls.Fail);
            }
        }
    }
}
