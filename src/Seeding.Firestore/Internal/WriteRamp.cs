using Microsoft.Extensions.Logging;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Firestore's 500/50/5 rule for traffic to new collections: at most <c>initialRate</c> writes per second to begin
/// with, raised by 50% every 5 minutes. A token bucket holding one second of the current rate, started by the first
/// reservation; a caller that takes more than the bucket holds goes into debt and is told how long to wait, so the
/// next caller also queues behind it (safe with several calls in flight). Refill uses the rate in force at the start
/// of each interval: the ramp may lag its schedule by one step, never run ahead of it.
/// </summary>
internal sealed partial class WriteRamp(int initialRate, TimeProvider time, ILogger logger)
{
    /// <summary>How often the rate grows.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    /// <summary>How much it grows each <see cref="Step"/>.</summary>
    public const double Growth = 1.5;

    private readonly Lock _gate = new();
    private long? _start;
    private long _last;
    private double _tokens;
    private long _waitedTicks;
    private double _share = 1;

    /// <summary>The total of the delays handed out so far.</summary>
    public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    /// <summary>
    /// This process's share of the ramp when several workers write together (the run's write budget sets it from the
    /// partition leases), so the ramp holds for their total. Default 1.
    /// </summary>
    public double Share
    {
        get => Volatile.Read(ref _share);
        set => Volatile.Write(ref _share, value);
    }

    /// <summary>Writes per second allowed at <paramref name="elapsed"/> after the first write (this process's share of them).</summary>
    public double RateAt(TimeSpan elapsed) => initialRate * Share * Math.Pow(Growth, Math.Floor(elapsed / Step));

    /// <summary>Takes <paramref name="writes"/> from the bucket; returns how long to wait before sending them (zero: send now).</summary>
    public TimeSpan Reserve(int writes)
    {
        TimeSpan delay;
        double rate;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_start is null)
            {
                _start = _last = now;
                _tokens = initialRate;
            }

            var start = _start.Value;
            rate = RateAt(time.GetElapsedTime(start, now));
            var refill = time.GetElapsedTime(_last, now).TotalSeconds * RateAt(time.GetElapsedTime(start, _last));
            _tokens = Math.Min(rate, _tokens + refill) - writes;
            _last = now;
            delay = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / rate);
        }

        if (delay > TimeSpan.Zero)
        {
            Interlocked.Add(ref _waitedTicks, delay.Ticks);
            LogWaiting(logger, writes, (long)delay.TotalMilliseconds, (long)rate);
        }

        return delay;
    }

    /// <summary>Waits until <paramref name="writes"/> may be sent.</summary>
    public async Task WaitAsync(int writes, CancellationToken cancellationToken)
    {
        var delay = Reserve(writes);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Write ramp: {Writes} writes wait {DelayMs} ms (at most {Rate} writes/s now).")]
    private static partial void LogWaiting(ILogger logger, int writes, long delayMs, long rate);
}
