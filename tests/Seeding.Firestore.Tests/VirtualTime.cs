namespace Seeding.Firestore.Tests;

/// <summary>
/// A clock that jumps forward by whatever a timer waits for, the moment the timer is made: a <c>Task.Delay</c> on it
/// completes at once and the clock reads as if the delay had passed. So code that paces real calls (the write ramp
/// against the emulator) runs at full speed while the test reads exact times. (FakeTimeProvider moves only when the
/// test advances it, which would need the test to know when each wait begins.)
/// </summary>
public sealed class VirtualTime : TimeProvider
{
    private long _ticks;

    /// <summary>How far the clock has moved since it was made.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + Elapsed;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero)
        {
            throw new NotSupportedException("VirtualTime runs one-shot timers only.");
        }

        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Add(ref _ticks, dueTime.Ticks);
            // Fired after CreateTimer returns, as a real timer would be: the caller has stored the timer by then.
            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
        }

        return new Fired();
    }

    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
