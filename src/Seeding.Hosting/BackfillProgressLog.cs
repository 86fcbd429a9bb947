using Microsoft.Extensions.Logging;
using Seeding.Running;

namespace Seeding.Hosting;

/// <summary>
/// The host's view of backfill progress (<see cref="SeedRunnerOptions.BackfillProgress"/>): a log line per backfill at
/// most every <see cref="Interval"/>, and one when it ends, in the words the <c>seeding</c> command prints
/// (<see cref="RunVocabulary.Progress"/>), the counts in the OpenTelemetry counters beside it.
/// </summary>
internal sealed partial class BackfillProgressLog(ILogger<BackfillProgressLog> logger, TimeProvider time) : IProgress<BackfillProgress>
{
    /// <summary>The least time between two lines of one backfill (its last line is always written).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Service, string Seed, int Line), long> _lastLine = [];

    public void Report(BackfillProgress value)
    {
        var key = (value.Service, value.Seed.ToString(), value.Line);
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (!value.Completed && _lastLine.TryGetValue(key, out var last) && time.GetElapsedTime(last, now) < Interval)
            {
                return;
            }

            if (value.Completed)
            {
                _lastLine.Remove(key);
            }
            else
            {
                _lastLine[key] = now;
            }
        }

        LogProgress(value.Service, key.Item2, value.Step, RunVocabulary.Progress(value));
    }

    [LoggerMessage(30, LogLevel.Information, "{Service} {Seed} {Step}: {Progress}")]
    private partial void LogProgress(string service, string seed, string step, string progress);
}
