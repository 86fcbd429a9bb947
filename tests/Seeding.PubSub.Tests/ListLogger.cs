using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Seeding.PubSub.Tests;

/// <summary>Keeps what is logged, to check that retries are visible.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    /// <summary>Level and message of each entry, in order.</summary>
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}
