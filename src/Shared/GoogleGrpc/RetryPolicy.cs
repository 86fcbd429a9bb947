// Part of the Google transport (see GoogleFaults.cs).
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>
/// How one kind of call is retried: which transient faults it may be sent again after, how often, and how long to
/// wait between attempts. Each client names one policy per call kind (a read, a batched write, a commit, a create...).
/// </summary>
/// <param name="Kind">The call kind, for messages and logs (e.g. <c>read</c>, <c>commit</c>).</param>
/// <param name="MaxAttempts">Attempts in total, the first included.</param>
/// <param name="Backoff">The wait before each retry.</param>
/// <param name="RetriesUncertain">
/// True when the call may be sent again after a fault that leaves its outcome unknown (UNAVAILABLE, DEADLINE_EXCEEDED:
/// the answer may have been lost after it was applied), because applying it twice is harmless or detected. False: only
/// after a fault that certainly left nothing applied (ABORTED, RESOURCE_EXHAUSTED, a failed HTTP/2 handshake).
/// </param>
internal sealed record RetryPolicy(string Kind, int MaxAttempts, Backoff Backoff, bool RetriesUncertain)
{
    /// <summary>Whether a call that failed with <paramref name="e"/> on its <paramref name="attempt"/>-th attempt may be tried again.</summary>
    public bool Allows(Grpc.Core.RpcException e, int attempt) =>
        attempt < MaxAttempts && GoogleFaults.IsTransient(e) && (RetriesUncertain || GoogleFaults.CertainlyNotApplied(e));
}

/// <summary>
/// The time a call may take: each attempt gets a fresh deadline of <see cref="AttemptTimeout"/>, and all attempts of one
/// operation together (waits between them included) at most <see cref="Budget"/>, so a target that accepts connections
/// and never answers fails within the budget, not after attempts × deadline.
/// </summary>
/// <param name="AttemptTimeout">The deadline of each attempt.</param>
/// <param name="Budget">The time all attempts of one operation may take together.</param>
internal sealed record CallTimes(TimeSpan AttemptTimeout, TimeSpan Budget);
