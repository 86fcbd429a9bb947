using System.Globalization;
using Microsoft.Extensions.Logging;
using Seeding.Store;

namespace Seeding.Running;

/// <summary>
/// The run's write budget: at most <see cref="SeedRunnerOptions.MaxWritesPerSecond"/> writes per second across every
/// worker of a backfill, of which this runner takes its share (<see cref="SetShare"/>). A token bucket in debt: each
/// batch reserves its writes before it is sent and waits until the bucket has paid them, so batches leave at the
/// budget's pace whatever the store's speed, and a slow batch is made up by the next. The bucket holds up to
/// one second of the rate: time a worker spends between batches (reading a page, claiming a partition) is made up by
/// the batches after it, which then leave without waiting, each still at most 200 ms of the rate; so over a window of
/// W seconds the rate stays within the budget plus 1/W of it, and a pause never turns into more than one second's burst.
/// </summary>
/// <remarks>
/// <para>A refusal for capacity (Firestore's RESOURCE_EXHAUSTED, counted by <see cref="IWriteThrottleStore.ThrottledCount"/>)
/// halves the rate (at most once per <see cref="SignalGap"/>, so the refusals of one burst count once, down to
/// 1/64 of it); each <see cref="RecoveryStep"/> without one gives back a tenth of the full rate. The store retries the
/// refused call itself: the budget never resends anything, it only slows what follows. Without a configured budget the
/// first refusal starts one at the rate measured over the last seconds, halved, and it is lifted once recovered.</para>
/// <para>Firestore's own 500/50/5 ramp (<see cref="IWriteRampStore"/>) paces each BatchWrite inside the store, after the
/// budget: the two are buckets in series, so the rate is the lower of the two. The store scales its ramp by the same
/// share (<see cref="IWriteThrottleStore.WriteShare"/>), so the ramp too holds for all workers together.</para>
/// </remarks>
internal sealed partial class WriteBudget
{
    /// <summary>Refusals closer together than this count as one (a batch in flight with others sees several).</summary>
    public static readonly TimeSpan SignalGap = TimeSpan.FromSeconds(1);

    /// <summary>How often a slowed budget gives back <see cref="Recovery"/> of its full rate.</summary>
    public static readonly TimeSpan RecoveryStep = TimeSpan.FromSeconds(5);

    /// <summary>The fraction of the full rate given back each <see cref="RecoveryStep"/> without a refusal.</summary>
    public const double Recovery = 0.1;

    /// <summary>The lowest the budget goes: this fraction of its full rate.</summary>
    public const double MinFactor = 1.0 / 64;

    /// <summary>How many seconds of the rate one batch holds when the budget is on: a batch about every 200 ms, never a burst of 500.</summary>
    private const double BatchSeconds = 0.2;

    /// <summary>How many seconds of the rate the bucket holds: time lost between batches is made up up to this much.</summary>
    private const double CatchUpSeconds = 1.0;

    // Without a budget and before any measurement: Firestore's guidance for a new collection.
    private const double UnmeasuredRate = 500;

    private readonly Lock _gate = new();
    private readonly IWriteThrottleStore? _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private double _share = 1;
    private double _factor = 1;
    private double? _ceiling;
    private long _signals;
    private long? _lastDecrease;
    private long _lastChange;
    private double _tokens;
    private long? _last;
    private long _windowStart;
    private long _windowWrites;
    private double? _measured;

    /// <param name="maxWritesPerSecond">The budget across all workers; null: none until the store refuses writes for capacity.</param>
    /// <param name="store">Where refusals for capacity are counted, and the share goes; null: neither.</param>
    /// <param name="time">The clock of waits.</param>
    /// <param name="logger">Where slowing down and recovering are logged.</param>
    public WriteBudget(double? maxWritesPerSecond, IWriteThrottleStore? store, TimeProvider time, ILogger logger)
    {
        if (maxWritesPerSecond is { } max && (double.IsNaN(max) || max <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxWritesPerSecond), max, "The write budget must be a positive number of writes per second.");
        }

        Limit = maxWritesPerSecond;
        _store = store;
        _time = time;
        _logger = logger;
        _signals = store?.ThrottledCount ?? 0;
        _windowStart = _lastChange = time.GetTimestamp();
    }

    /// <summary>The budget across all workers, as configured; null when none is.</summary>
    public double? Limit { get; }

    /// <summary>The rate this runner may write at now (its share, slowed by refusals); null: unlimited.</summary>
    public double? Rate
    {
        get
        {
            lock (_gate)
            {
                return CurrentRate();
            }
        }
    }

    /// <summary>
    /// Sets the fraction of the budget this runner (process) takes: its workers over the active workers of the backfill
    /// everywhere, as the partition leases tell. 1 (the default) for a runner alone. Forwarded to the store's own pacing.
    /// </summary>
    public void SetShare(double fraction)
    {
        if (double.IsNaN(fraction) || fraction <= 0 || fraction > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A share of the write budget is more than 0 and at most 1.");
        }

        lock (_gate)
        {
            _share = fraction;
        }

        if (_store is not null)
        {
            _store.WriteShare = fraction;
        }
    }

    /// <summary>How many writes one batch should carry: <paramref name="max"/> without a budget, else about 200 ms of the rate.</summary>
    public int BatchSize(int max) => Rate is { } rate ? (int)Math.Clamp(Math.Ceiling(rate * BatchSeconds), 1, max) : max;

    /// <summary>Waits until <paramref name="writes"/> may be sent.</summary>
    public async ValueTask WaitAsync(int writes, CancellationToken cancellationToken)
    {
        var delay = Reserve(writes);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes <paramref name="writes"/> from the bucket; returns how long to wait before sending them.</summary>
    public TimeSpan Reserve(int writes)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            Observe(now);
            Measure(now, writes);
            if (CurrentRate() is not { } rate)
            {
                _last = null;
                return TimeSpan.Zero;
            }

            // Paid before sending: the first batch waits its own share of a second too, so the pace holds from the start.
            var capacity = Math.Max(1, rate * CatchUpSeconds);
            var refill = _last is { } last ? _time.GetElapsedTime(last, now).TotalSeconds * rate : 0;
            _tokens = Math.Min(capacity, _tokens + refill) - writes;
            _last = now;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / rate);
        }
    }

    private double? CurrentRate() => (Limit ?? _ceiling) is { } full ? full * _share * _factor : null;

    // Refusals slow the budget down (once per SignalGap); quiet steps give the rate back a tenth at a time.
    private void Observe(long now)
    {
        var signals = _store?.ThrottledCount ?? 0;
        if (signals != _signals)
        {
            _signals = signals;
            if (_lastDecrease is not { } previous || _time.GetElapsedTime(previous, now) >= SignalGap)
            {
                // Without a configured budget, the first refusal starts one at the rate measured so far.
                _ceiling ??= Limit is null ? Math.Max(1, MeasuredRate(now) / _share) : null;
                _factor = Math.Max(MinFactor, _factor / 2);
                _lastDecrease = _lastChange = now;
                LogSlowed(_logger, Format(CurrentRate()), Format(Limit ?? _ceiling));
            }

            return;
        }

        if (_factor < 1 && _time.GetElapsedTime(_lastChange, now) >= RecoveryStep)
        {
            var steps = Math.Floor(_time.GetElapsedTime(_lastChange, now) / RecoveryStep);
            _factor = Math.Min(1, _factor + (steps * Recovery));
            _lastChange = now;
            if (_factor >= 1)
            {
                LogRecovered(_logger, Format(Limit));
                _ceiling = null;
            }
        }
    }

    // The rate reserved over the last window of RecoveryStep, for a budget that starts at the first refusal.
    private void Measure(long now, int writes)
    {
        var elapsed = _time.GetElapsedTime(_windowStart, now);
        if (elapsed >= RecoveryStep)
        {
            _measured = _windowWrites / elapsed.TotalSeconds;
            (_windowStart, _windowWrites) = (now, 0);
        }

        _windowWrites += writes;
    }

    private double MeasuredRate(long now)
    {
        if (_measured is { } measured)
        {
            return measured;
        }

        var elapsed = _time.GetElapsedTime(_windowStart, now).TotalSeconds;
        return elapsed >= 0.5 ? _windowWrites / elapsed : UnmeasuredRate;
    }

    private static string Format(double? rate) => rate is { } r ? r.ToString("0.#", CultureInfo.InvariantCulture) : "unlimited";

    [LoggerMessage(20, LogLevel.Warning, "The store refused writes for capacity (RESOURCE_EXHAUSTED): the write budget slows down to {Rate} writes/s (of {Full}); it recovers a tenth every 5 s without a refusal")]
    private static partial void LogSlowed(ILogger logger, string rate, string full);

    [LoggerMessage(21, LogLevel.Information, "The write budget is back at its full rate ({Full} writes/s)")]
    private static partial void LogRecovered(ILogger logger, string full);
}
