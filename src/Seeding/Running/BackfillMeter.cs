using Seeding.Definitions;

namespace Seeding.Running;

/// <summary>
/// One backfill's counts, pace and progress, created per backfill (per partition worker alike: its methods are safe from
/// any thread). The loop that reads and writes calls it at four points: <see cref="BeforeWriteAsync"/> before a batch
/// it sends itself (writes through <see cref="MigrationContext.WriteAsync"/> are paced by the budget already),
/// <see cref="Scanned"/>, <see cref="Updated"/> and <see cref="Skipped"/> as documents go by, and <see cref="Complete"/>
/// at the end. The counts go to the OpenTelemetry counters at once and to <see cref="SeedRunnerOptions.BackfillProgress"/>
/// at most every <see cref="SeedRunnerOptions.BackfillProgressInterval"/>.
/// </summary>
internal sealed class BackfillMeter
{
    private readonly string _service;
    private readonly SeedDefinition _seed;
    private readonly string _step;
    private readonly int _line;
    private readonly bool _dryRun;
    private readonly IProgress<BackfillProgress>? _progress;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly KeyValuePair<string, object?>[] _tags;
    private long _scanned;
    private long _updated;
    private long _skipped;
    private long _lastReport;

    public BackfillMeter(string service, SeedDefinition seed, string step, int line, bool dryRun, WriteBudget? budget, SeedRunnerOptions options)
    {
        (_service, _seed, _step, _line, _dryRun, Budget) = (service, seed, step, line, dryRun, budget);
        _progress = options.BackfillProgress;
        _interval = options.BackfillProgressInterval;
        _time = options.Time;
        _started = _lastReport = _time.GetTimestamp();
        _tags = [new("seeding.service", service), new("seeding.seed", seed.ToString()), new("seeding.dry_run", dryRun)];
    }

    /// <summary>The run's write budget; null when writes are not paced.</summary>
    public WriteBudget? Budget { get; }

    /// <summary>How many documents the backfill reads in all, when counted cheaply before it starts; null when unknown (no ETA).</summary>
    public long? Total { get; set; }

    /// <summary>
    /// The documents a backfill's query reads, counted without reading them where the store can (Firestore's COUNT
    /// aggregation, SQLite's <c>COUNT(*)</c>: the same count <c>seeding diff</c> uses), for the ETA; null when the store
    /// offers no snapshot reads (no ETA).
    /// </summary>
    public static async Task<long?> CountAsync(Store.ISnapshotReadStore? snapshots, Store.DocumentQuery query, CancellationToken cancellationToken)
    {
        if (snapshots is null)
        {
            return null;
        }

        var reader = await snapshots.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.CountAsync(query, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the budget before sending <paramref name="writes"/> writes outside <see cref="MigrationContext.WriteAsync"/>.</summary>
    public ValueTask BeforeWriteAsync(int writes, CancellationToken cancellationToken) =>
        Budget?.WaitAsync(writes, cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>Documents read.</summary>
    public void Scanned(int documents) => Count(ref _scanned, documents, SeedingTelemetry.BackfillScanned);

    /// <summary>Documents written (or, in a dry run, that would be).</summary>
    public void Updated(int documents) => Count(ref _updated, documents, SeedingTelemetry.BackfillUpdated);

    /// <summary>Documents read and left alone.</summary>
    public void Skipped(int documents) => Count(ref _skipped, documents, SeedingTelemetry.BackfillSkipped);

    /// <summary>Where the backfill stands now.</summary>
    public BackfillProgress Snapshot(bool completed = false) => new()
    {
        Service = _service,
        Seed = _seed,
        Step = _step,
        Line = _line,
        Scanned = Interlocked.Read(ref _scanned),
        Updated = Interlocked.Read(ref _updated),
        Skipped = Interlocked.Read(ref _skipped),
        Total = Total,
        Elapsed = _time.GetElapsedTime(_started),
        DryRun = _dryRun,
        Completed = completed,
    };

    /// <summary>The backfill finished: its last report.</summary>
    public void Complete() => _progress?.Report(Snapshot(completed: true));

    private void Count(ref long counter, int documents, System.Diagnostics.Metrics.Counter<long> instrument)
    {
        if (documents <= 0)
        {
            return;
        }

        Interlocked.Add(ref counter, documents);
        instrument.Add(documents, _tags);
        if (_progress is null)
        {
            return;
        }

        // One reporter per interval, whichever worker gets there first.
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastReport);
        if (_time.GetElapsedTime(last, now) >= _interval && Interlocked.CompareExchange(ref _lastReport, now, last) == last)
        {
            _progress.Report(Snapshot());
        }
    }
}
