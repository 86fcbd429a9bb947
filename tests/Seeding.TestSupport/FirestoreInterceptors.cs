using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Seeding.TestSupport;

/// <summary>Counts RPCs per method name (e.g. "BatchWrite"): the round-trip economy the store promises.</summary>
public sealed class CallCounter : Interceptor
{
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public int this[string method] => _calls.TryGetValue(method, out var n) ? n : 0;

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_calls);

    public void Reset() => _calls.Clear();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        Count(context.Method);
        return continuation(request, context);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        Count(context.Method);
        return continuation(request, context);
    }

    private void Count(IMethod method) => _calls.AddOrUpdate(method.Name, 1, (_, n) => n + 1);
}

/// <summary>
/// Fails a share of calls with UNAVAILABLE: either before sending (the server never sees it) or, for unary calls,
/// after the server answered (the write landed but the response is "lost"), the hard case for retries.
/// Deterministic (seeded) so a failing run can be replayed.
/// </summary>
public sealed class FaultInjector(double beforeShare, double afterShare, int seed = 42) : Interceptor
{
    private readonly Random _random = new(seed);
    private readonly object _gate = new();
    private int _before;
    private int _after;
    private int _budgetUsed;

    public int InjectedBefore => Volatile.Read(ref _before);

    public int InjectedAfter => Volatile.Read(ref _after);

    /// <summary>Methods faults apply to; all when empty. Set before the first call.</summary>
    public HashSet<string> Methods { get; init; } = [];

    /// <summary>At most this many faults are injected in total (so a test can script "the first call is lost").</summary>
    public int MaxFaults { get; init; } = int.MaxValue;

    /// <summary>The status injected faults fail with: UNAVAILABLE by default; RESOURCE_EXHAUSTED for the write budget's tests.</summary>
    public StatusCode Code { get; init; } = StatusCode.Unavailable;

    /// <summary>Turns injection off, e.g. for a test's final checks.</summary>
    public bool Enabled { get; set; } = true;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var roll = Roll(context.Method.Name);
        if (roll < beforeShare)
        {
            Interlocked.Increment(ref _before);
            return new AsyncUnaryCall<TResponse>(Task.FromException<TResponse>(Lost("before sending")), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        var call = continuation(request, context);
        if (roll < beforeShare + afterShare)
        {
            return new AsyncUnaryCall<TResponse>(LoseResponseAsync(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }

        return call;
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        if (Roll(context.Method.Name) < beforeShare)
        {
            Interlocked.Increment(ref _before);
            return new AsyncServerStreamingCall<TResponse>(new FailingReader<TResponse>(Lost("before sending")), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        return continuation(request, context);
    }

    private double Roll(string method)
    {
        if (!Enabled || (Methods.Count > 0 && !Methods.Contains(method)))
        {
            return 1;
        }

        lock (_gate)
        {
            // A roll that will inject counts against the budget now, so concurrent calls cannot exceed it.
            var roll = _random.NextDouble();
            if (roll < beforeShare + afterShare)
            {
                if (_budgetUsed >= MaxFaults)
                {
                    return 1;
                }

                _budgetUsed++;
            }

            return roll;
        }
    }

    private async Task<TResponse> LoseResponseAsync<TResponse>(Task<TResponse> response)
    {
        await response; // the server applied it; now pretend the answer never came back
        Interlocked.Increment(ref _after);
        throw Lost("after the server applied the call");
    }

    private RpcException Lost(string when) => new(new Status(Code, $"injected fault {when}"));

    private sealed class FailingReader<T>(Exception error) : IAsyncStreamReader<T>
    {
        public T Current => default!;

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromException<bool>(error);
    }
}

/// <summary>
/// Breaks server streams of one method mid-way: each of the first <c>breaks</c> calls delivers <c>after</c> messages, then
/// fails with <see cref="Code"/> (a connection lost while a long RunQuery streams), and the call is cancelled under it.
/// Later calls pass untouched.
/// </summary>
public sealed class StreamBreaker(string method, int after, int breaks) : Interceptor
{
    private int _broken;

    /// <summary>The status of the break (default UNAVAILABLE, which a read retries).</summary>
    public StatusCode Code { get; init; } = StatusCode.Unavailable;

    /// <summary>Streams broken so far.</summary>
    public int Broken => Volatile.Read(ref _broken);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        if (context.Method.Name != method)
        {
            return call;
        }

        int done;
        do
        {
            done = Volatile.Read(ref _broken);
            if (done >= breaks)
            {
                return call;
            }
        }
        while (Interlocked.CompareExchange(ref _broken, done + 1, done) != done);

        var error = new RpcException(new Status(Code, $"injected: stream broken after {after} message(s)"));
        return new AsyncServerStreamingCall<TResponse>(
            new BreakingReader<TResponse>(call, after, error), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private sealed class BreakingReader<T>(AsyncServerStreamingCall<T> call, int after, RpcException error) : IAsyncStreamReader<T>
    {
        private int _read;

        public T Current => call.ResponseStream.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (_read == after)
            {
                call.Dispose(); // the connection is gone: the server stops sending
                throw error;
            }

            _read++;
            return await call.ResponseStream.MoveNext(cancellationToken);
        }
    }
}

/// <summary>
/// Holds back the first message of every <paramref name="method"/> stream for <paramref name="delay"/> (the emulator
/// does so for real, in proportion to the collection: it reads a query's whole result before it answers), giving up
/// early when the call is cancelled, as a silent server does.
/// </summary>
public sealed class FirstMessageDelay(string method, TimeSpan delay) : Interceptor
{
    private int _delayed;

    /// <summary>Streams whose first message was held back so far.</summary>
    public int Delayed => Volatile.Read(ref _delayed);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        if (context.Method.Name != method)
        {
            return call;
        }

        Interlocked.Increment(ref _delayed);
        return new AsyncServerStreamingCall<TResponse>(
            new DelayedReader<TResponse>(call, delay, context.Options.CancellationToken), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private sealed class DelayedReader<T>(AsyncServerStreamingCall<T> call, TimeSpan delay, CancellationToken callToken) : IAsyncStreamReader<T>
    {
        private bool _started;

        public T Current => call.ResponseStream.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!_started)
            {
                _started = true;
                try
                {
                    await Task.Delay(delay, callToken);
                }
                catch (OperationCanceledException)
                {
                    call.Dispose();
                    throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled before the first message"));
                }
            }

            return await call.ResponseStream.MoveNext(cancellationToken);
        }
    }
}
