using Grpc.Core;
using Microsoft.Extensions.Logging;
using Seeding.Store;
using Seeding.Values;
using Proto = Seeding.Firestore.Protocol;

namespace Seeding.Firestore.Internal;

// Writes and their retries. The rule: a retry may resend a write only when resending cannot apply it twice.
//
// * A write with an 'exists = false' or 'update_time' precondition is replay-protected: if an earlier attempt
//   landed and only its response was lost, the server refuses the replay (ALREADY_EXISTS / FAILED_PRECONDITION).
//   Such a refusal after an uncertain attempt is therefore ambiguous, so it is reconciled by reading the
//   document back: if the document is in exactly the state the write produces, the write counts as applied.
// * BatchWrite reports a status per write; writes that failed transiently were certainly not applied and are the
//   only ones resent. When the whole RPC fails (response lost), every write is resent: protected ones as above,
//   unprotected Set/Merge/Delete are state-idempotent (the same data again; only update_time and REQUEST_TIME
//   move), and BatchWrite promises no atomicity to begin with.
// * Commit is atomic, and callers use it for exactly-once work (history records, leases), so after an uncertain
//   failure (UNAVAILABLE, DEADLINE_EXCEEDED) it is resent only when every write is replay-protected. ABORTED and
//   RESOURCE_EXHAUSTED mean the commit was refused before applying, so those are always retried.
internal sealed class DocumentWriter(FirestoreCalls calls, WriteBuilder builder, DocumentReader reader, WriteRamp? ramp, ILogger logger)
{
    /// <summary>The most writes one BatchWrite or Commit carries.</summary>
    public const int MaxBatchSize = 500;

    private ResourceNames Names => calls.Names;

    public async Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken)
    {
        CheckBatch(writes);
        var outcomes = new WriteOutcome[writes.Count];
        // BatchWrite refuses two writes to one document in one request, while the contract applies them in order. So the
        // n-th write to each document goes into round n: one RPC per round (just one unless a path repeats), in order.
        var occurrences = new Dictionary<Seeding.Documents.DocumentPath, int>();
        var rounds = new List<List<int>>();
        for (var i = 0; i < writes.Count; i++)
        {
            var round = occurrences[writes[i].Path] = occurrences.GetValueOrDefault(writes[i].Path, -1) + 1;
            if (round == rounds.Count)
            {
                rounds.Add([]);
            }

            rounds[round].Add(i);
        }

        foreach (var round in rounds)
        {
            await WriteRoundAsync(writes, round, outcomes, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    private async Task WriteRoundAsync(IReadOnlyList<DocumentWrite> writes, List<int> round, WriteOutcome[] outcomes, CancellationToken cancellationToken)
    {
        var protos = new Dictionary<int, Proto.Write>(round.Count);
        round.ForEach(i => protos[i] = builder.Build(writes[i]));
        var uncertain = new bool[writes.Count];
        var reconcile = new List<int>();
        var pending = round;
        var call = calls.Transport.Start("BatchWrite", Names.Database, calls.BatchWrite, cancellationToken);
        while (pending.Count > 0)
        {
            if (ramp is not null)
            {
                // Every attempt counts against the ramp: a resent write is traffic too.
                await ramp.WaitAsync(pending.Count, cancellationToken).ConfigureAwait(false);
            }

            var request = new Proto.BatchWriteRequest { Database = Names.Database };
            request.Writes.AddRange(pending.Select(i => protos[i]));
            Proto.BatchWriteResponse response;
            try
            {
                response = await calls.Client.BatchWriteAsync(request, call.Next(calls.Headers())).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                if (call.Canceled(e) is { } canceled)
                {
                    throw canceled;
                }

                if (!await call.RetryAfterAsync(e).ConfigureAwait(false))
                {
                    throw call.GiveUp(e, calls.Fail);
                }

                if (!GoogleFaults.CertainlyNotApplied(e))
                {
                    pending.ForEach(i => uncertain[i] = true);
                }

                continue;
            }

            var retry = new List<int>();
            RpcException? transient = null;
            for (var j = 0; j < pending.Count; j++)
            {
                var i = pending[j];
                var code = j < response.Status.Count ? (StatusCode)response.Status[j].Code : StatusCode.OK;
                if (code == StatusCode.OK)
                {
                    outcomes[i] = new WriteOutcome(writes[i].Path, true, ToTimestamp(response.WriteResults.ElementAtOrDefault(j)?.UpdateTime));
                }
                else if (WriteReconciliation.IsPreconditionFailure(code, writes[i]))
                {
                    if (uncertain[i])
                    {
                        reconcile.Add(i);
                    }
                    else
                    {
                        outcomes[i] = new WriteOutcome(writes[i].Path, false, null);
                    }
                }
                else if (GoogleFaults.IsTransient(code))
                {
                    // Refused on its own (contention, throttling): not applied, so resending it is safe.
                    retry.Add(i);
                    transient ??= new RpcException(new Status(code, $"document '{writes[i].Path}': {response.Status[j].Message}"));
                }
                else
                {
                    var status = new Status(code, $"document '{writes[i].Path}': {response.Status[j].Message}");
                    throw call.GiveUp(new RpcException(status), calls.Fail);
                }
            }

            pending = retry;
            if (transient is not null && !await call.RetryAfterAsync(transient).ConfigureAwait(false))
            {
                throw call.GiveUp(transient, calls.Fail);
            }
        }

        if (reconcile.Count > 0)
        {
            var snapshots = await reader.GetAllAsync(reconcile.Select(i => writes[i].Path).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < reconcile.Count; k++)
            {
                var i = reconcile[k];
                var applied = WriteReconciliation.Produced(writes[i], snapshots[k]);
                WriteLog.Reconciled(logger, "BatchWrite", writes[i].Path.ToString(), applied ? "was applied by the lost attempt" : "was not applied");
                outcomes[i] = new WriteOutcome(writes[i].Path, applied, applied ? snapshots[k].UpdateTime : null);
            }
        }
    }

    public async Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken)
    {
        CheckBatch(writes);
        var request = new Proto.CommitRequest { Database = Names.Database };
        request.Writes.AddRange(writes.Select(builder.Build));
        var replayProtected = writes.All(w => w.Precondition.Exists == false || w.Precondition.UpdateTime is not null);
        var uncertain = false;
        var policy = replayProtected ? calls.ProtectedCommit : calls.Commit;
        var call = calls.Transport.Start("Commit", Names.Database, policy, cancellationToken);
        while (true)
        {
            try
            {
                var response = await calls.Client.CommitAsync(request, call.Next(calls.Headers())).ConfigureAwait(false);
                var commitTime = ToTimestamp(response.CommitTime);
                return writes.Select((w, i) => new WriteOutcome(w.Path, true, ToTimestamp(response.WriteResults.ElementAtOrDefault(i)?.UpdateTime) ?? commitTime)).ToArray();
            }
            catch (RpcException e)
            {
                if (call.Canceled(e) is { } canceled)
                {
                    throw canceled;
                }

                if (await call.RetryAfterAsync(e).ConfigureAwait(false))
                {
                    uncertain |= !GoogleFaults.CertainlyNotApplied(e);
                    continue;
                }

                if (writes.Any(w => WriteReconciliation.IsPreconditionFailure(e.StatusCode, w)))
                {
                    return await RefusedCommitAsync(writes, e, uncertain, cancellationToken).ConfigureAwait(false);
                }

                if (!replayProtected && GoogleFaults.IsTransient(e) && !GoogleFaults.CertainlyNotApplied(e) && call.Attempt < policy.MaxAttempts)
                {
                    throw new FirestoreStoreException(
                        $"Commit failed with {e.StatusCode} and may or may not have been applied; it was not retried because not every write " +
                        "carries a precondition (must-not-exist or update time) that makes a replay safe. Read the documents back to decide.",
                        e.StatusCode,
                        e);
                }

                throw call.GiveUp(e, calls.Fail);
            }
        }
    }

    // A precondition refusal. After an attempt whose answer was lost it may be the replay of a commit that landed: read
    // back, a commit whose every write produced its state counts as applied.
    private async Task<IReadOnlyList<WriteOutcome>> RefusedCommitAsync(IReadOnlyList<DocumentWrite> writes, RpcException e, bool uncertain, CancellationToken cancellationToken)
    {
        if (uncertain)
        {
            var snapshots = await reader.GetAllAsync(writes.Select(w => w.Path).ToArray(), cancellationToken).ConfigureAwait(false);
            if (writes.Select((w, i) => WriteReconciliation.Produced(w, snapshots[i])).All(ok => ok))
            {
                WriteLog.CommitReconciled(logger);
                return writes.Select((w, i) => new WriteOutcome(w.Path, true, snapshots[i].UpdateTime)).ToArray();
            }
        }

        var failed = WriteReconciliation.RefusedWrite(writes, e);
        throw new PreconditionFailedException(failed.Path, $"{e.StatusCode}: {e.Status.Detail}");
    }

    private static Timestamp? ToTimestamp(Google.Protobuf.WellKnownTypes.Timestamp? timestamp) =>
        timestamp is null ? null : ValueConverter.FromProto(timestamp);

    private static void CheckBatch(IReadOnlyList<DocumentWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count > MaxBatchSize)
        {
            throw new ArgumentException($"A batch holds at most {MaxBatchSize} writes; this one has {writes.Count}. Split it.", nameof(writes));
        }
    }
}
