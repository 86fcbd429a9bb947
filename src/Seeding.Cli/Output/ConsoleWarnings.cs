using Microsoft.Extensions.Logging;

namespace Seeding.Cli.Output;

/// <summary>
/// The logger the command line gives the store with <c>--verbose</c>: warnings and errors (a Firestore retry after a
/// transient fault, say) become <c>warning: ...</c> lines on standard error, next to the progress lines.
/// </summary>
internal sealed class ConsoleWarnings(TextWriter error) : ILogger
{
    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        // Retries may be logged from the store's continuations; one line at a time keeps them whole.
        lock (_gate)
        {
            error.WriteLine($"{(logLevel == LogLevel.Warning ? "warning" : "error")}: {formatter(state, exception)}");
        }
    }
}
