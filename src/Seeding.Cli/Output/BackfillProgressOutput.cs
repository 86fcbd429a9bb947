using System.Text.Json;
using Seeding.Running;
using Spectre.Console;

namespace Seeding.Cli.Output;

/// <summary>
/// Where <c>migrate</c> and <c>plan</c> show backfill progress (<see cref="SeedRunnerOptions.BackfillProgress"/>), always on
/// standard error so standard output keeps only the result (the table, or the one JSON document):
/// a live Spectre.Console bar on a terminal; otherwise a plain line per backfill every <see cref="Interval"/> and when it
/// ends; with <c>--output json</c> the same as JSON lines (NDJSON, <see cref="BackfillProgressEvents"/>).
/// </summary>
internal static class BackfillProgressOutput
{
    /// <summary>The least time between two lines (or events) of one backfill; its last one is always written.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>The display <paramref name="mode"/> asks for (<c>auto</c>: by the terminal and the output format); null for none.</summary>
    public static IBackfillProgressSink? Create(string mode, bool json, CommandContext context) => mode switch
    {
        "none" => null,
        "bar" => new BackfillProgressBar(context.Error, IsTerminal(context.Error)),
        "lines" => new BackfillProgressLines(context.Error, context.Time),
        "json" => new BackfillProgressEvents(context.Error, context.Time),
        _ when json => new BackfillProgressEvents(context.Error, context.Time),
        _ when IsTerminal(context.Error) => new BackfillProgressBar(context.Error, terminal: true),
        _ => new BackfillProgressLines(context.Error, context.Time),
    };

    // Only the process's own standard error, when it is a terminal: a host's writer (a test's StringWriter) never is.
    private static bool IsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
}

/// <summary>A backfill progress display; disposing it ends the display (before the result is printed).</summary>
internal interface IBackfillProgressSink : IProgress<BackfillProgress>, IAsyncDisposable
{
    /// <summary>True when it draws on the terminal (other progress lines would break it).</summary>
    bool IsLive { get; }
}

/// <summary>Keeps each backfill's lines at most one per interval (its last one always), across threads.</summary>
internal abstract class PacedProgress(TimeProvider time) : IBackfillProgressSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string, int), long> _last = [];

    public bool IsLive => false;

    public void Report(BackfillProgress value)
    {
        lock (_gate)
        {
            var key = (value.Service, value.Seed.ToString(), value.Line);
            var now = time.GetTimestamp();
            if (!value.Completed && _last.TryGetValue(key, out var last) && time.GetElapsedTime(last, now) < BackfillProgressOutput.Interval)
            {
                return;
            }

            _last[key] = now;
            Write(value);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected abstract void Write(BackfillProgress value);
}

/// <summary>Plain lines: <c>progress: user post/0001_backfill backfill users (line 3): 12,000 scanned, ..., ETA unknown (...)</c>.</summary>
internal sealed class BackfillProgressLines(TextWriter error, TimeProvider time) : PacedProgress(time)
{
    protected override void Write(BackfillProgress value) => error.WriteLine(
        $"progress: {Printable.Escape(value.Service)} {Printable.Escape(value.Seed.ToString())} {Printable.Escape(value.Step)} (line {value.Line}): {RunVocabulary.Progress(value)}");
}

/// <summary>
/// JSON lines on standard error, one object per line: <c>{"event":"backfill_progress","service":...,"seed":"post/0001_x",
/// "step":"backfill users","line":3,"scanned":12000,"updated":6000,"skipped":6000,"total":null,"elapsedMs":5012,
/// "ratePerSecond":2394.3,"etaMs":null,"dryRun":false,"completed":false}</c>; <c>total</c> and <c>etaMs</c> are null when
/// the store could not count the documents cheaply.
/// </summary>
internal sealed class BackfillProgressEvents(TextWriter error, TimeProvider time) : PacedProgress(time)
{
    protected override void Write(BackfillProgress value)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("event", "backfill_progress");
            w.WriteString("service", value.Service);
            w.WriteString("seed", value.Seed.ToString());
            w.WriteString("step", value.Step);
            w.WriteNumber("line", value.Line);
            w.WriteNumber("scanned", value.Scanned);
            w.WriteNumber("updated", value.Updated);
            w.WriteNumber("skipped", value.Skipped);
            Nullable(w, "total", value.Total);
            w.WriteNumber("elapsedMs", (long)value.Elapsed.TotalMilliseconds);
            w.WriteNumber("ratePerSecond", Math.Round(value.Rate, 1));
            Nullable(w, "etaMs", value.Eta is { } eta ? (long)eta.TotalMilliseconds : null);
            w.WriteBoolean("dryRun", value.DryRun);
            w.WriteBoolean("completed", value.Completed);
            w.WriteEndObject();
        }

        error.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void Nullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}

/// <summary>
/// A live Spectre.Console progress bar per backfill on the terminal: scanned of the total when counted (else an
/// indeterminate bar), with the counts, rate and ETA as its description. Reports only store the latest numbers; the
/// display refreshes them on its own thread, started at the first report (a run without backfills draws nothing).
/// </summary>
internal sealed class BackfillProgressBar(TextWriter error, bool terminal) : IBackfillProgressSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string, int), BackfillProgress> _latest = [];
    private readonly Dictionary<(string, string, int), ProgressTask> _tasks = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _display;

    public bool IsLive => true;

    public void Report(BackfillProgress value)
    {
        lock (_gate)
        {
            _latest[(value.Service, value.Seed.ToString(), value.Line)] = value;
            _display ??= Task.Run(ShowAsync);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _done.TrySetResult();
        Task? display;
        lock (_gate)
        {
            display = _display;
        }

        if (display is not null)
        {
            await display.ConfigureAwait(false);
        }
    }

    private Task ShowAsync()
    {
        // Colours and cursor moves only on a terminal; a forced bar elsewhere gets Spectre's plain fallback lines.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                while (true)
                {
                    var last = _done.Task.IsCompleted;
                    Refresh(context);
                    if (last)
                    {
                        return;
                    }

                    await Task.WhenAny(_done.Task, Task.Delay(200)).ConfigureAwait(false);
                }
            });
    }

    private void Refresh(ProgressContext context)
    {
        lock (_gate)
        {
            foreach (var (key, value) in _latest)
            {
                var description = Markup.Escape($"{value.Service} {value.Seed} {value.Step}: {RunVocabulary.Progress(value)}");
                if (!_tasks.TryGetValue(key, out var task))
                {
                    task = _tasks[key] = context.AddTask(description, maxValue: value.Total ?? 1);
                }

                task.Description = description;
                task.IsIndeterminate = value.Total is null && !value.Completed;
                task.MaxValue = value.Total is { } total ? Math.Max(1, total) : 1;
                task.Value = value.Completed ? task.MaxValue : value.Total is null ? 0 : Math.Min(value.Scanned, task.MaxValue);
                if (value.Completed)
                {
                    task.StopTask();
                }
            }
        }
    }
}
