using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Seeding.Firestore.Internal;

namespace Seeding.Firestore.Tests;

/// <summary>The write ramp's arithmetic (Firestore's 500/50/5 guidance), on a clock the test moves.</summary>
public sealed class WriteRampTests
{
    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);

    private static (WriteRamp Ramp, FakeTimeProvider Time) NewRamp(int initialRate = 500)
    {
        var time = new FakeTimeProvider();
        return (new WriteRamp(initialRate, time, NullLogger.Instance), time);
    }

    [Fact]
    public void The_first_second_allows_500_writes_then_each_write_waits_its_share()
    {
        var (ramp, time) = NewRamp();

        Assert.Equal(TimeSpan.Zero, ramp.Reserve(500));
        Assert.Equal(TimeSpan.FromSeconds(1), ramp.Reserve(500));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(400), ramp.Reserve(200));
        Assert.Equal(TimeSpan.FromMilliseconds(1400), ramp.Waited);
    }

    [Fact]
    public void Reservations_made_together_queue_behind_each_other()
    {
        // Several calls in flight: each one waits behind the debt of those before it.
        var (ramp, _) = NewRamp();

        Assert.Equal(TimeSpan.Zero, ramp.Reserve(500));
        Assert.Equal(TimeSpan.FromSeconds(1), ramp.Reserve(500));
        Assert.Equal(TimeSpan.FromSeconds(2), ramp.Reserve(500));
        Assert.Equal(TimeSpan.FromSeconds(3), ramp.Waited);
    }

    [Fact]
    public void The_rate_grows_by_half_every_five_minutes_from_the_first_write()
    {
        var (ramp, _) = NewRamp();

        Assert.Equal(500, ramp.RateAt(TimeSpan.Zero));
        Assert.Equal(500, ramp.RateAt(TimeSpan.FromMinutes(5) - Millisecond));
        Assert.Equal(750, ramp.RateAt(TimeSpan.FromMinutes(5)));
        Assert.Equal(1125, ramp.RateAt(TimeSpan.FromMinutes(10)));
        Assert.Equal(500 * Math.Pow(1.5, 12), ramp.RateAt(TimeSpan.FromHours(1)), precision: 6);
    }

    [Fact]
    public void After_five_minutes_a_second_holds_750_writes()
    {
        var (ramp, time) = NewRamp();
        Assert.Equal(TimeSpan.Zero, ramp.Reserve(1));

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.Zero, ramp.Reserve(750));
        Assert.Equal(TimeSpan.FromSeconds(1), ramp.Reserve(750));
    }

    [Fact]
    public void Idle_time_banks_at_most_one_second_of_writes()
    {
        var (ramp, time) = NewRamp();
        Assert.Equal(TimeSpan.Zero, ramp.Reserve(500));

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(TimeSpan.Zero, ramp.Reserve(500));
        Assert.Equal(TimeSpan.FromMilliseconds(200), ramp.Reserve(100));
    }

    [Fact]
    public void The_refill_never_runs_ahead_of_the_schedule_across_a_step()
    {
        // A wait that spans the five-minute mark refills at the older, lower rate: the ramp may lag, never overshoot.
        var (ramp, time) = NewRamp();
        Assert.Equal(TimeSpan.Zero, ramp.Reserve(500));
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.Zero, ramp.Reserve(500));

        time.Advance(TimeSpan.FromSeconds(1));

        // 1 s refilled at 500/s (not 750/s): 500 writes are available, the 600th waits 100 writes' worth at 750/s.
        Assert.Equal(TimeSpan.Zero, ramp.Reserve(500));
        Assert.Equal(TimeSpan.FromSeconds(100 / 750.0), ramp.Reserve(100));
    }

    [Fact]
    public void A_lower_initial_rate_paces_a_full_batch_over_several_seconds()
    {
        var (ramp, _) = NewRamp(initialRate: 100);

        Assert.Equal(TimeSpan.FromSeconds(4), ramp.Reserve(500));
    }

    [Fact]
    public void The_ramp_is_on_in_production_and_off_on_the_emulator_unless_set()
    {
        Assert.True(new FirestoreStoreOptions { ProjectId = "p" }.WriteRampActive);
        Assert.False(new FirestoreStoreOptions { ProjectId = "p", WriteRamp = false }.WriteRampActive);
        Assert.False(new FirestoreStoreOptions { ProjectId = "demo-p", EmulatorHost = "127.0.0.1:8080" }.WriteRampActive);
        Assert.True(new FirestoreStoreOptions { ProjectId = "demo-p", EmulatorHost = "127.0.0.1:8080", WriteRamp = true }.WriteRampActive);
    }

    [Fact]
    public void An_initial_rate_below_one_is_refused()
    {
        var options = new FirestoreStoreOptions { ProjectId = "demo-p", EmulatorHost = "127.0.0.1:8080", WriteRampInitialRate = 0 };

        var e = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("WriteRampInitialRate", e.Message, StringComparison.Ordinal);
    }
}
