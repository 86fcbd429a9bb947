using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

// Part of the Google transport (see GoogleFaults.cs).
#if SEEDING_FIRESTORE
namespace Seeding.Firestore.Internal;
#elif SEEDING_PUBSUB
namespace Seeding.PubSub.Internal;
#endif

/// <summary>
/// One Google API's connection: the channel to its endpoint, the call invoker (with the caller's interceptors), the
/// call times and the retry loop. Clients build requests and read answers; everything about reaching the API, retrying
/// and giving up is here, once for Firestore, its Admin API and Pub/Sub.
/// </summary>
internal sealed class GoogleTransport : IDisposable
{
    private readonly GrpcChannel _channel;
    private long _retries;
    private long _throttled;

    /// <param name="service">The API's name in messages and logs: <c>Firestore</c>, <c>Firestore Admin API</c>, <c>Pub/Sub</c>.</param>
    /// <param name="endpoint">Where it is reached.</param>
    /// <param name="bearer">The token of every call, or null for none (the Pub/Sub emulator).</param>
    /// <param name="interceptors">Around every call; the first is the outermost.</param>
    /// <param name="times">Each attempt's deadline and each operation's time budget.</param>
    /// <param name="logger">Where retries are logged.</param>
    public GoogleTransport(
        string service, GoogleEndpoint endpoint, Func<CancellationToken, Task<string>>? bearer, IEnumerable<Interceptor> interceptors, CallTimes times, ILogger logger)
    {
        Service = service;
        Endpoint = endpoint;
        Times = times;
        Logger = logger;
        _channel = endpoint.CreateChannel(bearer);
        var all = interceptors.ToArray();
        Invoker = all.Length > 0 ? _channel.CreateCallInvoker().Intercept(all) : _channel.CreateCallInvoker();
    }

    /// <summary>The API's name in messages and logs.</summary>
    public string Service { get; }

    /// <summary>Where the API is reached.</summary>
    public GoogleEndpoint Endpoint { get; }

    /// <summary>What calls are made on (generated clients take it).</summary>
    public CallInvoker Invoker { get; }

    /// <summary>Each attempt's deadline and each operation's time budget.</summary>
    public CallTimes Times { get; }

    /// <summary>Where retries are logged.</summary>
    public ILogger Logger { get; }

    /// <summary>Attempts sent again after a transient fault, since the transport was created (each also logged as a warning).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>
    /// Calls refused as over capacity (RESOURCE_EXHAUSTED, whole calls or single writes of a batch), since the transport
    /// was created: counted here, where the fault is classified, so a write budget can slow down while this loop retries.
    /// </summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Starts one operation: its attempts share the time budget.</summary>
    public GoogleCall Start(string rpc, string resource, RetryPolicy policy, CancellationToken cancellationToken) =>
        new(this, rpc, resource, policy, cancellationToken);

    /// <summary>
    /// Runs one call with <paramref name="policy"/>'s retries. <paramref name="answer"/> is a status that is an answer,
    /// not a failure (NOT_FOUND for a get, ALREADY_EXISTS for a create): it yields a reply without a value. Any other
    /// failure that is not retried, or that outlasts the attempts or the budget, is logged and turned into the client's
    /// exception by <paramref name="fail"/>; the caller's cancellation surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<Reply<T>> RunAsync<T>(
        string rpc, string resource, RetryPolicy policy, Func<Metadata> headers, Func<CallOptions, Task<T>> call, StatusCode? answer,
        Func<RpcException, GoogleCall, Exception> fail, CancellationToken cancellationToken)
        where T : class
    {
        var attempts = Start(rpc, resource, policy, cancellationToken);
        var lostAttempt = false;
        while (true)
        {
            try
            {
                return new Reply<T>(await call(attempts.Next(headers())).ConfigureAwait(false));
            }
            catch (RpcException e)
            {
                if (attempts.Canceled(e) is { } canceled)
                {
                    throw canceled;
                }

                if (e.StatusCode == answer)
                {
                    if (lostAttempt && answer == StatusCode.AlreadyExists)
                    {
                        RetryLog.ExistsAfterLostAttempt(Logger, Service, rpc, resource);
                    }

                    return new Reply<T>(null);
                }

                if (!await attempts.RetryAfterAsync(e).ConfigureAwait(false))
                {
                    throw attempts.GiveUp(e, fail);
                }

                lostAttempt |= !GoogleFaults.CertainlyNotApplied(e); // the answer may be lost after the call was applied
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();

    internal void CountRetry() => Interlocked.Increment(ref _retries);

    internal void CountThrottled() => Interlocked.Increment(ref _throttled);
}

/// <summary>A call's answer; <see cref="Value"/> is null when the answer was the expected status (not found, already exists).</summary>
internal readonly record struct Reply<T>(T? Value)
    where T : class;

/// <summary>
/// One operation's attempts: each gets a fresh deadline (<see cref="CallTimes.AttemptTimeout"/>, cut to what is left of
/// the budget), and a retry happens only while the policy allows it and the wait fits in <see cref="CallTimes.Budget"/>.
/// Clients whose retry is more than "send it again" (a batch that resends only some writes) drive it directly.
/// </summary>
internal sealed class GoogleCall
{
    private readonly GoogleTransport _transport;
    private readonly RetryPolicy _policy;
    private readonly CancellationToken _cancellationToken;
    private long _started = Stopwatch.GetTimestamp();

    internal GoogleCall(GoogleTransport transport, string rpc, string resource, RetryPolicy policy, CancellationToken cancellationToken)
    {
        _transport = transport;
        Rpc = rpc;
        Resource = resource;
        _policy = policy;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The RPC, e.g. <c>BatchWrite</c>.</summary>
    public string Rpc { get; }

    /// <summary>What it is about, for logs.</summary>
    public string Resource { get; }

    /// <summary>Attempts started so far.</summary>
    public int Attempt { get; private set; }

    private TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>The options of the next attempt: its headers, its own deadline, the caller's cancellation.</summary>
    public CallOptions Next(Metadata headers)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        Attempt++;
        var left = _transport.Times.Budget - Elapsed;
        var timeout = left < _transport.Times.AttemptTimeout ? left : _transport.Times.AttemptTimeout;
        return new CallOptions(headers, DateTime.UtcNow + (timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1)), _cancellationToken);
    }

    /// <summary>
    /// The options of the next attempt of a server stream that may run far longer than one attempt's deadline (a whole
    /// collection read by one RunQuery): no deadline, and <paramref name="attemptToken"/> (the caller's cancellation
    /// linked with the reader's own idle timer, see <see cref="CallTimes.AttemptTimeout"/>) in place of the caller's.
    /// </summary>
    public CallOptions NextStream(Metadata headers, CancellationToken attemptToken)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        Attempt++;
        return new CallOptions(headers, deadline: null, attemptToken);
    }

    /// <summary>
    /// A stream made progress (it delivered data) before it broke: the break starts a new operation, as if its attempt
    /// were the first, so a long stream's retries and time budget count only the breaks in a row without progress.
    /// </summary>
    public void Progressed()
    {
        Attempt = 1;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// The caller's cancellation, as <see cref="OperationCanceledException"/> as everywhere in .NET, when
    /// <paramref name="e"/> is it; else null. (The channel option that does this would also turn deadlines into
    /// cancellations, hiding DEADLINE_EXCEEDED from the retry policy.)
    /// </summary>
    public OperationCanceledException? Canceled(RpcException e) =>
        e.StatusCode == StatusCode.Cancelled && _cancellationToken.IsCancellationRequested
            ? new OperationCanceledException($"The {_transport.Service} {Rpc} call was canceled.", e, _cancellationToken)
            : null;

    /// <summary>
    /// When the policy allows another attempt after <paramref name="e"/> and the wait before it fits in the budget:
    /// counts and logs the retry, waits, and returns true. Otherwise false, at once.
    /// </summary>
    public async Task<bool> RetryAfterAsync(RpcException e)
    {
        if (e.StatusCode == StatusCode.ResourceExhausted)
        {
            _transport.CountThrottled();
        }

        if (!_policy.Allows(e, Attempt))
        {
            return false;
        }

        var delay = _policy.Backoff.Delay(Attempt);
        if (Elapsed + delay >= _transport.Times.Budget)
        {
            return false;
        }

        _transport.CountRetry();
        RetryLog.Retrying(_transport.Logger, _transport.Service, Rpc, Resource, Attempt, _policy.MaxAttempts, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
        await Task.Delay(delay, _cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Logs that the call gave up and makes the client's exception.</summary>
    public Exception GiveUp(RpcException e, Func<RpcException, GoogleCall, Exception> fail)
    {
        RetryLog.GaveUp(_transport.Logger, _transport.Service, Rpc, Resource, Attempt, (long)Elapsed.TotalMilliseconds, e.StatusCode);
        return fail(e, this);
    }

    /// <summary>
    /// What a transient failure that outlasted the retries says first: the API, its endpoint, the attempts, the time
    /// spent, and the limits by their option names, e.g. "Firestore at https://h:443 did not answer after 3 attempt(s)
    /// in 20.1 s (limits: 6 attempts, CallTimeout 20 s per attempt, OperationTimeout 60 s per operation; last: DeadlineExceeded: ...)".
    /// </summary>
    public string Unavailable(RpcException e) =>
        $"{_transport.Service} at {_transport.Endpoint} did not answer after {Attempt} attempt(s) in {Seconds(Elapsed)} (limits: {_policy.MaxAttempts} attempts, " +
        $"CallTimeout {Seconds(_transport.Times.AttemptTimeout)} per attempt, OperationTimeout {Seconds(_transport.Times.Budget)} per operation; " +
        $"last: {e.StatusCode}: {GoogleFaults.Detail(e)}).";

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString(time.TotalSeconds < 10 ? "0.##" : "0", CultureInfo.InvariantCulture) + " s";
}
