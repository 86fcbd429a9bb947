using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Seeding.PubSub.Tests;

/// <summary>Counts the unary calls a client makes, by method name (e.g. <c>CreateTopic</c>): round trips, measured.</summary>
public sealed class CallCounter : Interceptor
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>Calls per method name.</summary>
    public IReadOnlyDictionary<string, int> Calls => _calls;

    /// <summary>All calls.</summary>
    public int Total => _calls.Values.Sum();

    /// <summary>Calls of one method.</summary>
    public int this[string method] => _calls.GetValueOrDefault(method);

    /// <summary>Forgets what was counted.</summary>
    public void Reset() => _calls.Clear();

    /// <summary>"CreateTopic=1, GetTopic=2", sorted, for messages.</summary>
    public override string ToString() => string.Join(", ", _calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        _calls.AddOrUpdate(context.Method.Name, 1, (_, n) => n + 1);
        return continuation(request, context);
    }
}

/// <summary>Fails the first <paramref name="failures"/> calls with <paramref name="code"/> before they reach the server.</summary>
public sealed class FailingInterceptor(StatusCode code, int failures) : Interceptor
{
    private int _left = failures;

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        Interlocked.Decrement(ref _left) >= 0
            ? throw new RpcException(new Status(code, "injected by the test"))
            : continuation(request, context);
}
