using System.Diagnostics;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using Xunit.Abstractions;

namespace Seeding.Concurrency.Tests;

/// <summary>Lease clock tests on the embedded store.</summary>
public sealed class SqliteLeaseClockTests(ITestOutputHelper output) : LeaseClockTests(output), IDisposable
{
    private readonly ScratchDirectory _scratch = new("seeding-clock-tests");

    public void Dispose() => _scratch.Dispose();

    protected override Task<StoreSpec> NewStoreAsync() => Task.FromResult(StoreSpec.Sqlite(Path.Combine(_scratch.Path, "seeding.db")));
}

/// <summary>Lease clock tests on Firestore.</summary>
public sealed class FirestoreLeaseClockTests(ITestOutputHelper output) : LeaseClockTests(output)
{
    protected override async Task<StoreSpec> NewStoreAsync() => StoreSpec.Firestore(await FirestoreEmulator.HostAsync(), FirestoreEmulator.NewProjectId("clock"));
}

/// <summary>
/// Lease expiry is judged by the store's clock: runners whose own clocks are an hour off (far more than the 1 s TTL)
/// neither take a live lease nor wait an hour for a dead one.
/// </summary>
public abstract class LeaseClockTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Skew = TimeSpan.FromHours(1);
    private static readonly DocumentPath LockPath = DocumentPath.Create("seeding_locks", "skew");

    protected abstract Task<StoreSpec> NewStoreAsync();

    [Fact]
    public async Task Runners_whose_clocks_are_skewed_by_more_than_the_TTL_never_hold_the_lease_together()
    {
        var spec = await NewStoreAsync();
        // Held for more than two TTLs, renewed meanwhile. A 2 s TTL (renewed every 0.67 s) leaves a busy machine room
        // for a late renewal; the skew is still an hour, far beyond it.
        var occupancy = new Occupancy(TimeSpan.FromSeconds(4.5));
        var service = new ServiceSeeds("skew", [], [SeedDefinition.FromCode("0001_occupy", SeedPhase.Pre, "sha256:occupy", "Migrations/Occupy.cs", null, occupancy)]);
        var stores = Enumerable.Range(0, 3).Select(_ => spec.Open()).ToArray();
        try
        {
            var holder = new SeedRunner(stores[0], options: Options("on-time", TimeSpan.Zero) with { LockTtl = 2 * Ttl }).RunAsync(service, RunRequest.PreDeploy());
            await occupancy.Entered.WaitAsync(TimeSpan.FromMinutes(1));
            var ahead = new SeedRunner(stores[1], options: Options("an-hour-ahead", Skew) with { LockTtl = 2 * Ttl }).RunAsync(service, RunRequest.PreDeploy());
            var behind = new SeedRunner(stores[2], options: Options("an-hour-behind", -Skew) with { LockTtl = 2 * Ttl }).RunAsync(service, RunRequest.PreDeploy());
            var reports = await Task.WhenAll(holder, ahead, behind).WaitAsync(TimeSpan.FromMinutes(1));

            Assert.Equal(1, occupancy.MaxInside);
            Assert.Equal(1, occupancy.Executions);
            Assert.Equal([SeedOutcome.Applied, SeedOutcome.AlreadyApplied, SeedOutcome.AlreadyApplied], reports.Select(r => r.Seeds.Single().Outcome));
            var history = Assert.Single(await RaceScenario.AllAsync(stores[0], MigrationHistory.Collection));
            Assert.Equal(1, FieldReader.Integer(history.Fields, "lock_token"));
        }
        finally
        {
            Array.ForEach(stores, s => (s as IDisposable)?.Dispose());
        }
    }

    [Fact]
    public async Task A_dead_holders_lease_is_taken_over_once_expired_by_the_stores_clock_whatever_the_runners_clocks()
    {
        var spec = await NewStoreAsync();
        var occupancy = new Occupancy(TimeSpan.Zero);
        var service = new ServiceSeeds("skew", [], [SeedDefinition.FromCode("0001_occupy", SeedPhase.Pre, "sha256:occupy", "Migrations/Occupy.cs", null, occupancy)]);
        var store = spec.Open();
        try
        {
            // A holder whose clock is an hour ahead takes the lease and dies: no renewal, no release.
            var dying = new DiesAfterTakingTheLease(store);
            await Assert.ThrowsAsync<IOException>(() => new SeedRunner(dying, options: Options("dead-and-an-hour-ahead", Skew)).RunAsync(service, RunRequest.PreDeploy()));
            var dead = (await store.GetAllAsync([LockPath]))[0];
            Assert.Equal("dead-and-an-hour-ahead", FieldReader.String(dead.Fields, "owner"));
            var expiry = FieldReader.Timestamp(dead.Fields, "expires_at");
            Assert.True(expiry <= After(dead.UpdateTime!.Value, Ttl), $"the lease expires at {expiry}, more than one TTL after it was written at {dead.UpdateTime}");

            // A runner whose clock is an hour behind takes over once that lease expired by the store's clock: not
            // before (its acquisition commits after the expiry) and not an hour later.
            var clock = Stopwatch.StartNew();
            var report = await new SeedRunner(store, options: Options("an-hour-behind", -Skew) with { LockWaitTimeout = TimeSpan.FromSeconds(30) })
                .RunAsync(service, RunRequest.PreDeploy());
            output.WriteLine($"taken over after {clock.ElapsedMilliseconds} ms");

            Assert.Equal(SeedOutcome.Applied, report.Seeds.Single().Outcome);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the takeover took {clock.Elapsed}");
            var history = Assert.Single(await RaceScenario.AllAsync(store, MigrationHistory.Collection));
            Assert.Equal(2, FieldReader.Integer(history.Fields, "lock_token"));
            var taken = (await store.GetAllAsync([LockPath]))[0];
            // acquired_at is a server time: the acquisition's request time, to the millisecond on Firestore.
            var acquiredAt = FieldReader.Timestamp(taken.Fields, "acquired_at");
            Assert.True(acquiredAt.UnixMicroseconds >= expiry.UnixMicroseconds / 1000 * 1000, $"taken over at {acquiredAt}, before the dead holder's lease expired at {expiry}");
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task Renewals_keep_the_acquisition_time_and_record_their_own_in_store_time()
    {
        var spec = await NewStoreAsync();
        var store = spec.Open();
        var observed = new List<DocumentSnapshot>();
        var service = new ServiceSeeds("skew", [], [SeedDefinition.FromCode("0001_watch", SeedPhase.Pre, "sha256:watch", "Migrations/Watch.cs", null, new WatchLease(observed))]);
        try
        {
            await new SeedRunner(store, options: Options("an-hour-ahead", Skew)).RunAsync(service, RunRequest.PreDeploy());

            var (first, last) = (observed[0], observed[^1]);
            Assert.Equal(first.Fields["acquired_at"], last.Fields["acquired_at"]);
            Assert.True(FieldReader.Timestamp(last.Fields, "renewed_at") > FieldReader.Timestamp(first.Fields, "renewed_at"), "renewed meanwhile");
            foreach (var lease in observed)
            {
                // Every time is the store's, within a TTL of its clock: the runner's hour of skew shows nowhere.
                var storeNow = lease.ReadTime!.Value;
                Assert.True(FieldReader.Timestamp(lease.Fields, "renewed_at") <= storeNow);
                Assert.True(FieldReader.Timestamp(lease.Fields, "expires_at") <= After(storeNow, Ttl));
            }
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private static Timestamp After(Timestamp time, TimeSpan span) => Timestamp.FromUnixMicroseconds(time.UnixMicroseconds + (long)span.TotalMicroseconds);

    private static SeedRunnerOptions Options(string owner, TimeSpan skew) => Program.RunnerOptions(owner) with
    {
        LockTtl = Ttl,
        LockPollInterval = TimeSpan.FromMilliseconds(50),
        Time = new SkewedClock(skew),
    };

    /// <summary>The system clock moved by <paramref name="skew"/>: wall time only; elapsed time and timers are the system's.</summary>
    private sealed class SkewedClock(TimeSpan skew) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;
    }

    /// <summary>A C# migration that counts runners inside it at once and holds for a while.</summary>
    private sealed class Occupancy(TimeSpan hold) : IMigration
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inside;
        private int _maxInside;
        private int _executions;

        public Task Entered => _entered.Task;

        public int MaxInside => Volatile.Read(ref _maxInside);

        public int Executions => Volatile.Read(ref _executions);

        public async Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
        {
            var inside = Interlocked.Increment(ref _inside);
            InterlockedMax(ref _maxInside, inside);
            Interlocked.Increment(ref _executions);
            _entered.TrySetResult();
            await Task.Delay(hold, cancellationToken);
            Interlocked.Decrement(ref _inside);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    /// <summary>A C# migration that reads its own lease document a few times across renewals.</summary>
    private sealed class WatchLease(List<DocumentSnapshot> observed) : IMigration
    {
        public async Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
        {
            for (var i = 0; i < 5; i++)
            {
                observed.Add((await context.Store.GetAllAsync([LockPath], cancellationToken))[0]);
                await Task.Delay(Ttl / 2, cancellationToken);
            }
        }
    }

    /// <summary>A runner's store that dies right after its lease was taken: every later call fails, renewals and release included.</summary>
    private sealed class DiesAfterTakingTheLease(IDocumentStore inner) : IDocumentStore
    {
        private volatile bool _dead;

        public string Name => inner.Name;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
            _dead ? Dead<IReadOnlyList<DocumentSnapshot>>() : inner.GetAllAsync(paths, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            _dead ? Dead<IReadOnlyList<WriteOutcome>>() : inner.WriteBatchAsync(writes, cancellationToken);

        public async Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            var outcomes = await (_dead ? Dead<IReadOnlyList<WriteOutcome>>() : inner.CommitAsync(writes, cancellationToken));
            _dead = writes.Any(w => w.Path == LockPath);
            return outcomes;
        }

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
            _dead ? Dead<IReadOnlyList<DocumentSnapshot>>() : inner.QueryAsync(query, cancellationToken);

        private static Task<T> Dead<T>() => Task.FromException<T>(new IOException("This runner died after taking the lease."));
    }
}
