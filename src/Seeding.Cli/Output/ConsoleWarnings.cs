using System.Text;
using Microsoft.Extensions.Logging;

namespace Seeding.Cli.Output;

/// <summary>
/// The logger the command line gives the store with <c>--verbose</c>: warnings and errors (a Firestore retry after a
/// transient fault, say) become <c>warning: ...</c> lines on standard error, next to the progress lines. Each warning is
/// one line, in the project's own words: a value that spans lines (a transport's raw status detail, a .NET exception chain)
/// is cut to its first line there, and shown whole, flattened to one line, on the indented <c>detail:</c> line after it.
/// </summary>
internal sealed class ConsoleWarnings(TextWriter error) : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";

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

        var (line, detail) = Render(state, exception, formatter);

        // Retries may be logged from the store's continuations; one warning at a time keeps its lines together.
        lock (_gate)
        {
            error.WriteLine($"{(logLevel == LogLevel.Warning ? "warning" : "error")}: {line}");
            if (detail.Length > 0)
            {
                error.WriteLine($"  detail: {detail}");
            }
        }
    }

    /// <summary>The warning's one line, and the detail left out of it (empty when nothing was).</summary>
    internal static (string Line, string Detail) Render<TState>(TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var details = new List<string>();
        string line;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == OriginalFormat).Value is string template)
        {
            // The message's template with each multi-line value cut to its first line; the whole value goes to the detail.
            var rendered = new StringBuilder(template);
            foreach (var (name, value) in values.Where(v => v.Key != OriginalFormat))
            {
                var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                if (FirstLine(text) is var first && first.Length < text.TrimEnd().Length)
                {
                    details.Add(Flatten(text));
                    text = first + " ...";
                }

                rendered.Replace("{" + name + "}", text);
            }

            line = rendered.ToString();
        }
        else
        {
            var message = formatter(state, exception);
            line = FirstLine(message);
            if (line.Length < message.TrimEnd().Length)
            {
                details.Add(Flatten(message));
            }
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            details.Add($"{inner.GetType().Name}: {Flatten(inner.Message)}");
        }

        return (Flatten(line), string.Join(" <- ", details));
    }

    private static string FirstLine(string text)
    {
        var trimmed = text.TrimEnd();
        var end = trimmed.IndexOfAny(['\r', '\n']);
        return end < 0 ? trimmed : trimmed[..end].TrimEnd();
    }

    private static string Flatten(string text) =>
        string.Join(" | ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
