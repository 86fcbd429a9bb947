using Grpc.Core;
using Seeding.Firestore.Internal;
using Seeding.Store;
using Seeding.Values;
using Proto = Seeding.Firestore.Protocol;

namespace Seeding.Firestore;

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
public sealed partial class FirestoreDocumentStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
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
        round.ForEach(i => protos[i] = _writes.Build(writes[i]));
        var uncertain = new bool[writes.Count];
        var reconcile = new List<int>();
        var pending = round;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_ramp is not null)
            {
                // Every attempt counts against the ramp: a resent write is traffic too.
                await _ramp.WaitAsync(pending.Count, cancellationToken).ConfigureAwait(false);
            }

            var request = new Proto.BatchWriteRequest { Database = _names.Database };
            request.Writes.AddRange(pending.Select(i => protos[i]));
            Proto.BatchWriteResponse response;
            try
            {
                response = await _client.BatchWriteAsync(request, NewCallOptions(cancellationToken)).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw Canceled(e, cancellationToken);
            }
            catch (RpcException e) when (TransientCodes.IsTransient(e.StatusCode) && attempt < _options.MaxAttempts)
            {
                if (!TransientCodes.CertainlyNotApplied(e.StatusCode))
                {
                    pending.ForEach(i => uncertain[i] = true);
                }

                await BackoffAsync("BatchWrite", attempt, e, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (RpcException e)
            {
                throw Fail(e, "BatchWrite", attempt);
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
                else if (IsPreconditionFailure(code, writes[i]))
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
                else if (TransientCodes.IsTransient(code) && attempt < _options.MaxAttempts)
                {
                    // Refused on its own (contention, throttling): not applied, so resending it is safe.
                    retry.Add(i);
                    transient ??= new RpcException(new Status(code, response.Status[j].Message));
                }
                else
                {
                    var status = new Status(code, $"document '{writes[i].Path}': {response.Status[j].Message}");
                    throw Fail(new RpcException(status), "BatchWrite", attempt);
                }
            }

            pending = retry;
            if (transient is not null)
            {
                await BackoffAsync("BatchWrite", attempt, transient, cancellationToken).ConfigureAwait(false);
            }
        }

        if (reconcile.Count > 0)
        {
            var snapshots = await GetAllAsync(reconcile.Select(i => writes[i].Path).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < reconcile.Count; k++)
            {
                var i = reconcile[k];
                var applied = Produced(writes[i], snapshots[k]);
                RetryLog.Reconciled(_logger, "BatchWrite", writes[i].Path.ToString(), applied ? "was applied by the lost attempt" : "was not applied");
                outcomes[i] = new WriteOutcome(writes[i].Path, applied, applied ? snapshots[k].UpdateTime : null);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        CheckBatch(writes);
        var request = new Proto.CommitRequest { Database = _names.Database };
        request.Writes.AddRange(writes.Select(_writes.Build));
        var replayProtected = writes.All(w => w.Precondition.Exists == false || w.Precondition.UpdateTime is not null);
        var uncertain = false;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var response = await _client.CommitAsync(request, NewCallOptions(cancellationToken)).ConfigureAwait(false);
                var commitTime = ToTimestamp(response.CommitTime);
                return writes.Select((w, i) => new WriteOutcome(w.Path, true, ToTimestamp(response.WriteResults.ElementAtOrDefault(i)?.UpdateTime) ?? commitTime)).ToArray();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw Canceled(e, cancellationToken);
            }
            catch (RpcException e) when (TransientCodes.IsTransient(e.StatusCode) && attempt < _options.MaxAttempts
                                         && (TransientCodes.CertainlyNotApplied(e.StatusCode) || replayProtected))
            {
                uncertain |= !TransientCodes.CertainlyNotApplied(e.StatusCode);
                await BackoffAsync("Commit", attempt, e, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (writes.FirstOrDefault(w => IsPreconditionFailure(e.StatusCode, w)) is not null)
            {
                if (uncertain)
                {
                    var snapshots = await GetAllAsync(writes.Select(w => w.Path).ToArray(), cancellationToken).ConfigureAwait(false);
                    if (writes.Select((w, i) => Produced(w, snapshots[i])).All(ok => ok))
                    {
                        RetryLog.CommitReconciled(_logger);
                        return writes.Select((w, i) => new WriteOutcome(w.Path, true, snapshots[i].UpdateTime)).ToArray();
                    }
                }

                var failed = RefusedWrite(writes, e);
                throw new PreconditionFailedException(failed.Path, $"{e.StatusCode}: {e.Status.Detail}");
            }
            catch (RpcException e) when (TransientCodes.IsTransient(e.StatusCode) && !replayProtected && attempt < _options.MaxAttempts)
            {
                throw new FirestoreStoreException(
                    $"Commit failed with {e.StatusCode} and may or may not have been applied; it was not retried because not every write " +
                    "carries a precondition (must-not-exist or update time) that makes a replay safe. Read the documents back to decide.",
                    e.StatusCode,
                    e);
            }
            catch (RpcException e)
            {
                throw Fail(e, "Commit", attempt);
            }
        }
    }

    // Which write Firestore refused. Each status has one kind of precondition behind it: ALREADY_EXISTS a must-not-exist,
    // FAILED_PRECONDITION an update time (and its message, "the stored version (…) does not match the required base
    // version (…)", names no document), NOT_FOUND a must-exist. So only writes of that kind are suspects: a lease
    // renewal refused beside a create is the renewal, never the create. Among several suspects, the message names the
    // document (production: the full resource name; the emulator: "path=/c/d}"); the longest path found wins, so
    // "c/taken" is not mistaken for "c/t".
    private static DocumentWrite RefusedWrite(IReadOnlyList<DocumentWrite> writes, RpcException e)
    {
        var detail = e.Status.Detail ?? string.Empty;
        bool Named(DocumentWrite w)
        {
            var needle = "/" + w.Path;
            for (var at = detail.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = detail.IndexOf(needle, at + 1, StringComparison.Ordinal))
            {
                var end = at + needle.Length;
                if (end == detail.Length || detail[end] is '}' or ',' or ' ' or ')' or '"' or '\'' or '.')
                {
                    return true;
                }
            }

            return false;
        }

        var candidates = writes.Where(w => IsPreconditionFailure(e.StatusCode, w)).ToList();
        var suspects = candidates.Where(w => CanCause(e.StatusCode, w.Precondition)).ToList();
        if (suspects.Count > 0)
        {
            candidates = suspects;
        }

        return candidates.Where(Named).MaxBy(w => w.Path.ToString().Length) ?? candidates[0];
    }

    private static bool CanCause(StatusCode code, Precondition precondition) => code switch
    {
        StatusCode.AlreadyExists => precondition.Exists == false,
        StatusCode.FailedPrecondition => precondition.UpdateTime is not null,
        StatusCode.NotFound => precondition.Exists == true || precondition.UpdateTime is not null,
        _ => false,
    };

    // Precondition refusals: ALREADY_EXISTS (must not exist), FAILED_PRECONDITION (update time), and NOT_FOUND for a
    // write that required an existing document (Firestore reports a missing one that way).
    private static bool IsPreconditionFailure(StatusCode code, DocumentWrite write) =>
        code is StatusCode.AlreadyExists or StatusCode.FailedPrecondition || (code == StatusCode.NotFound && !write.Precondition.IsNone);

    /// <summary>True when <paramref name="snapshot"/> is the state <paramref name="write"/> produces (server times match any time).</summary>
    private static bool Produced(DocumentWrite write, DocumentSnapshot snapshot) => write.Kind switch
    {
        WriteKind.Delete => !snapshot.Exists,
        WriteKind.Set => snapshot.Exists && snapshot.Fields.Count == write.Fields.Count && write.Fields.All(f => snapshot.Fields.TryGetValue(f.Key, out var stored) && ServerValues.Satisfies(stored, f.Value)),
        _ => snapshot.Exists && write.Fields.All(f => snapshot.Fields.TryGetValue(f.Key, out var stored) && ServerValues.Satisfies(stored, f.Value)),
    };

    private static Timestamp? ToTimestamp(Google.Protobuf.WellKnownTypes.Timestamp? timestamp) =>
        timestamp is null ? null : ValueConverter.FromProto(timestamp);

    private void CheckBatch(IReadOnlyList<DocumentWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count > MaxBatchSize)
        {
            throw new ArgumentException($"A batch holds at most {MaxBatchSize} writes; this one has {writes.Count}. Split it.", nameof(writes));
        }
    }
}
