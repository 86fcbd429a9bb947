using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Seeding.Definitions;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>
/// The write budget (pace, share, slowing down after refusals for capacity and recovering), backfill progress through
/// <see cref="SeedRunnerOptions.BackfillProgress"/> and the OpenTelemetry counters, and the plan limit of huge dry runs.
/// </summary>
public sealed class BackfillMeterTests
{
    [Fact]
    public void The_budget_paces_batches_at_its_rate_and_a_share_takes_its_part()
    {
        var time = new ManualTime();
        var budget = new WriteBudget(100, null, time, NullLogger.Instance);
        Assert.Equal(20, budget.BatchSize(500)); // about 200 ms of the rate per batch

        var waited = TimeSpan.Zero;
        for (var batch = 0; batch < 50; batch++)
        {
            var delay = budget.Reserve(20);
            waited += delay;
            time.Advance(delay);
        }

        // 1,000 writes at 100/s: 10 s, each batch paid before it is sent.
        Assert.InRange(waited.TotalSeconds, 9.99, 10.01);

        budget.SetShare(0.25);
        Assert.Equal(25, budget.Rate);
        Assert.Equal(5, budget.BatchSize(500));
        Assert.Throws<ArgumentOutOfRangeException>(() => budget.SetShare(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WriteBudget(-1, null, time, NullLogger.Instance));
    }

    [Fact]
    public void Time_between_batches_is_made_up_for_up_to_one_second_and_no_more()
    {
        var time = new ManualTime();
        var budget = new WriteBudget(100, null, time, NullLogger.Instance);
        time.Advance(budget.Reserve(20)); // the first batch pays its own 200 ms

        // A worker spends 0.6 s between batches (a page read, a partition claim): the next three batches leave at once.
        time.Advance(TimeSpan.FromSeconds(0.6));
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], [budget.Reserve(20), budget.Reserve(20), budget.Reserve(20)]);
        Assert.True(budget.Reserve(20) > TimeSpan.Zero);

        // A pause of 10 s is made up for one second only: 5 batches at once, the sixth waits.
        time.Advance(TimeSpan.FromSeconds(10));
        for (var batch = 0; batch < 5; batch++)
        {
            Assert.Equal(TimeSpan.Zero, budget.Reserve(20));
        }

        Assert.True(budget.Reserve(20) > TimeSpan.Zero);
    }

    [Fact]
    public void Refusals_for_capacity_halve_the_budget_once_per_burst_and_quiet_time_gives_it_back()
    {
        var time = new ManualTime();
        var store = new ThrottleSignals();
        var budget = new WriteBudget(400, store, time, NullLogger.Instance);
        budget.SetShare(0.5);
        Assert.Equal(0.5, store.WriteShare); // the store's own ramp takes the same share
        Assert.Equal(200, budget.Rate);

        store.Refuse(3);
        budget.Reserve(1);
        Assert.Equal(100, budget.Rate);

        // More refusals of the same burst (within a second) count once.
        time.Advance(TimeSpan.FromMilliseconds(500));
        store.Refuse(2);
        budget.Reserve(1);
        Assert.Equal(100, budget.Rate);

        time.Advance(TimeSpan.FromSeconds(1));
        store.Refuse(1);
        budget.Reserve(1);
        Assert.Equal(50, budget.Rate);

        // Each 5 s without a refusal gives back a tenth of the full rate.
        time.Advance(WriteBudget.RecoveryStep);
        budget.Reserve(1);
        Assert.Equal(200 * 0.35, budget.Rate!.Value, 6);
        time.Advance(WriteBudget.RecoveryStep * 10);
        budget.Reserve(1);
        Assert.Equal(200, budget.Rate);
    }

    [Fact]
    public void Without_a_budget_a_refusal_starts_one_at_half_the_measured_rate_and_it_is_lifted_once_recovered()
    {
        var time = new ManualTime();
        var store = new ThrottleSignals();
        var budget = new WriteBudget(null, store, time, NullLogger.Instance);
        Assert.Null(budget.Rate);
        Assert.Equal(500, budget.BatchSize(500));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(TimeSpan.Zero, budget.Reserve(300));
            time.Advance(TimeSpan.FromSeconds(1)); // 300 writes/s
        }

        store.Refuse(1);
        budget.Reserve(1);
        Assert.InRange(budget.Rate!.Value, 140, 160);
        time.Advance(WriteBudget.RecoveryStep * 6);
        budget.Reserve(1);
        Assert.Null(budget.Rate);
    }

    [Fact]
    public async Task A_backfill_reports_progress_counts_to_the_meters_and_a_dry_run_lists_the_first_documents_and_counts_the_rest()
    {
        const int Documents = 5000;
        var store = new InMemoryDocumentStore();
        var service = new ServiceSeeds($"meter-{Guid.NewGuid():N}", [], [
            Migration("0001_items", SeedPhase.Pre, "sha256:items", Create("items", Enumerable.Range(0, Documents).Select(i =>
                Doc($"item-{i:D5}", ("n", Value.Integer(i)), ("status", i % 2 == 0 ? Value.Null : Value.String("done")))).ToArray())),
        ]);
        var reports = new List<BackfillProgress>();
        var options = new SeedRunnerOptions { BackfillProgress = new Collect(reports), BackfillProgressInterval = TimeSpan.Zero };
        await new SeedRunner(store, options: options).RunAsync(service, RunRequest.PreDeploy());
        var backfill = Migration("0002_status", SeedPhase.Post, "sha256:status",
            SeedStep.Backfill("items", 3, new Dictionary<string, Value> { ["status"] = Value.Null }, new Dictionary<string, Value> { ["status"] = Value.String("open") }));
        var withBackfill = new ServiceSeeds(service.Service, [], [.. service.Seeds, backfill]);
        using var counters = new BackfillCounters(service.Service);

        var plan = await new SeedRunner(store, options: options).RunAsync(withBackfill, RunRequest.PostDeploy(dryRun: true) with { PlanLimit = 100 });

        var planned = plan.Seeds.Single(s => s.Seed == backfill);
        Assert.Equal(Documents / 2, planned.Updated);
        Assert.Equal(100, planned.Plan.Count);
        var omitted = Assert.Single(planned.PlanOmitted);
        Assert.Equal(new PlanOmission("backfill items", 3, (Documents / 2) - 100), omitted);
        var last = reports[^1];
        Assert.True(last.Completed && last.DryRun);
        Assert.Equal((Documents, Documents / 2, Documents / 2), (last.Scanned, last.Updated, last.Skipped));
        Assert.True(reports.Count > 1, "progress is reported while the backfill runs, not only at its end");
        Assert.All(reports.Zip(reports.Skip(1)), pair => Assert.True(pair.Second.Scanned >= pair.First.Scanned));
        Assert.Equal((Documents, Documents / 2, Documents / 2, true), counters.Totals(dryRun: true));

        reports.Clear();
        var real = await new SeedRunner(store, options: options).RunAsync(withBackfill, RunRequest.PostDeploy() with { PlanLimit = 10 });
        var applied = real.Seeds.Single(s => s.Seed == backfill);
        Assert.Equal((SeedOutcome.Applied, Documents / 2, 10), (applied.Outcome, applied.Updated, applied.Plan.Count));
        Assert.Equal((Documents / 2) - 10, Assert.Single(applied.PlanOmitted).Count);
        Assert.Equal((Documents, Documents / 2, Documents / 2, true), counters.Totals(dryRun: false));
        var stored = await store.QueryAsync(new DocumentQuery("items", [FieldFilter.EqualTo("status", Value.String("open"))]));
        Assert.Equal(Documents / 2, stored.Count);
    }

    private sealed class Collect(List<BackfillProgress> reports) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }

    /// <summary>Sums the backfill counters of one service (other tests' runs may measure at the same time).</summary>
    private sealed class BackfillCounters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<(string, bool), long> _sums = [];

        public BackfillCounters(string service)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SeedingTelemetry.Name && instrument.Name.StartsWith("seeding.backfill.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var ours = false;
                var dryRun = false;
                foreach (var tag in tags)
                {
                    ours |= tag.Key == "seeding.service" && Equals(tag.Value, service);
                    dryRun |= tag.Key == "seeding.dry_run" && Equals(tag.Value, true);
                }

                if (ours)
                {
                    lock (_sums)
                    {
                        _sums[(instrument.Name, dryRun)] = _sums.GetValueOrDefault((instrument.Name, dryRun)) + value;
                    }
                }
            });
            _listener.Start();
        }

        public (long Scanned, long Updated, long Skipped, bool Any) Totals(bool dryRun)
        {
            lock (_sums)
            {
                long Sum(string name) => _sums.GetValueOrDefault(("seeding.backfill.documents." + name, dryRun));
                return (Sum("scanned"), Sum("updated"), Sum("skipped"), _sums.Count > 0);
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed class ThrottleSignals : IWriteThrottleStore
    {
        private long _count;

        public long ThrottledCount => Interlocked.Read(ref _count);

        public double WriteShare { get; set; } = 1;

        public void Refuse(int times) => Interlocked.Add(ref _count, times);
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
