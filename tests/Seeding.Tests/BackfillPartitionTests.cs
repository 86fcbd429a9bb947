using System.Diagnostics.Metrics;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>Partitioned, resumable backfills on the in-memory store: the split, the workers, checkpoints and takeover.</summary>
public class BackfillPartitionTests
{
    private static readonly Dictionary<string, Value> Pending = new() { ["status"] = Value.String("pending") };
    private static readonly Dictionary<string, Value> Migrated = new() { ["status"] = Value.String("migrated"), ["version"] = Value.Integer(2) };

    [Theory]
    [InlineData(1000, 7)]
    [InlineData(10, 8)]
    [InlineData(3, 2)]
    [InlineData(0, 4)]
    public async Task The_split_covers_the_key_range_exactly_once_in_balanced_partitions(int documents, int partitions)
    {
        var store = await StoreWithAsync(documents);
        await store.CommitAsync([DocumentWrite.Set(DocumentPath.Parse("other/x"), Pending), DocumentWrite.Set(DocumentPath.Parse("items/x/sub/y"), Pending)]);

        var splits = await store.SplitAsync("items", partitions);

        Assert.True(splits.Count <= partitions - 1);
        Assert.Equal(splits.OrderBy(s => s).Distinct(), splits);
        var seen = new List<DocumentPath>();
        for (var i = 0; i <= splits.Count; i++)
        {
            var range = await store.QueryAsync(new DocumentQuery("items", [], StartAfter: i == 0 ? null : splits[i - 1]) { EndAt = i == splits.Count ? null : splits[i] });
            seen.AddRange(range.Select(d => d.Path));
            if (documents >= partitions)
            {
                Assert.InRange(range.Count, documents / partitions - 1, documents / partitions + 2);
            }
        }

        Assert.Equal((await store.QueryAsync(new DocumentQuery("items", []))).Select(d => d.Path), seen);
        Assert.Equal(documents, seen.Count);
    }

    [Fact]
    public async Task KeyRangeSplit_from_a_stream_of_keys_matches_the_direct_split_closely()
    {
        var keys = Enumerable.Range(0, 100_000).Select(i => DocumentPath.Create("items", $"i{i:D6}")).ToArray();

        var splits = await KeyRangeSplit.FromOrderedKeysAsync(keys.ToAsyncEnumerable(), 10);

        Assert.Equal(9, splits.Count);
        for (var i = 0; i < splits.Count; i++)
        {
            var position = Array.IndexOf(keys, splits[i]) + 1;
            Assert.InRange(position, 10_000 * (i + 1) - 700, 10_000 * (i + 1) + 700);
        }
    }

    [Fact]
    public async Task Four_workers_backfill_every_partition_and_the_migration_is_recorded_once()
    {
        var store = await StoreWithAsync(2000, i => i % 4 != 0);
        var service = BackfillService("svc-four");
        var options = new SeedRunnerOptions { Capabilities = new StoreCapabilities { Partitions = store }, BackfillWorkers = 4, BackfillPartitions = 8, BackfillBatchSize = 50 };

        // Every document listed (the default plan limit lists 1,000 per step), to see each was written once.
        var report = await new SeedRunner(store, options: options).RunAsync(service, RunRequest.PostDeploy() with { PlanLimit = 2000 });

        Assert.Equal(1500, report.Updated);
        Assert.Equal(1500, report.Plan.Select(p => p.Path).Distinct().Count());
        Assert.Empty(report.Seeds.SelectMany(s => s.PlanOmitted));
        var all = await store.QueryAsync(new DocumentQuery("items", []));
        Assert.Equal(1500, all.Count(d => d.Fields["status"].AsString() == "migrated" && d.Fields["version"].AsInteger() == 2));
        Assert.Equal(500, all.Count(d => d.Fields["status"].AsString() == "done"));
        Assert.Single(await store.QueryAsync(new DocumentQuery(MigrationHistory.Collection, [])));
        Assert.Empty(await store.QueryAsync(new DocumentQuery(BackfillRecords.CollectionOf("svc-four"), []))); // records go once it is recorded
        Assert.Empty(await new SeedRunner(store).GetBackfillsAsync("svc-four"));
    }

    [Fact]
    public async Task A_dead_workers_partitions_are_taken_over_from_their_checkpoints_reading_at_most_one_batch_again()
    {
        const int batch = 40;
        var inner = await StoreWithAsync(1200, i => i % 3 != 0);
        var service = BackfillService("svc-takeover");
        var options = new SeedRunnerOptions
        {
            Capabilities = new StoreCapabilities { Partitions = inner }, BackfillWorkers = 1, BackfillPartitions = 4, BackfillBatchSize = batch,
            LockTtl = TimeSpan.FromMilliseconds(300), LockPollInterval = TimeSpan.FromMilliseconds(20), Owner = "first",
        };
        using var reads = new ReadCounter("svc-takeover");

        // The first runner's process "dies" in its fourth batch (200 matches per partition: 5 batches): every later call
        // fails, so it cannot release anything.
        var dying = new DyingStore(inner, commitsBeforeDeath: 4);
        await Assert.ThrowsAnyAsync<Exception>(() => new SeedRunner(dying, options: options).RunAsync(service, RunRequest.PostDeploy()));

        var interrupted = await new SeedRunner(inner).GetBackfillsAsync("svc-takeover");
        var progress = Assert.Single(interrupted);
        Assert.Equal("post/0001_backfill", progress.Migration);
        Assert.Equal(4, progress.PartitionCount);
        Assert.Equal(4, progress.Partitions.Count);
        Assert.Equal(3 * batch, progress.Scanned); // 4 commits: the claim, then 3 batches
        var held = Assert.Single(progress.Partitions, p => p.Owner is not null);
        Assert.Equal("first", held.Owner);
        Assert.NotNull(held.Cursor);

        var report = await new SeedRunner(inner, options: options with { Owner = "second" }).RunAsync(service, RunRequest.PostDeploy());

        var all = await inner.QueryAsync(new DocumentQuery("items", []));
        Assert.Equal(800, all.Count(d => d.Fields["status"].AsString() == "migrated"));
        // The second runner joined the backfill as a worker while the dead runner's migration lease ran out, then took
        // the lease and recorded the migration.
        Assert.Equal(SeedOutcome.Applied, report.Seeds.Single().Outcome);
        Assert.Equal(800 - 3 * batch, report.Updated); // its share as a worker counts: what the first runner committed is not written again
        Assert.Single(await inner.QueryAsync(new DocumentQuery(MigrationHistory.Collection, [])));
        Assert.InRange(reads.Total, 800, 800 + batch); // one kill, one partition held: at most one batch of the 800 matches read twice
        Assert.True(reads.Total > 800, "the batch the dead worker read and did not commit is read again");
    }

    [Fact]
    public async Task A_csharp_migration_backfills_through_ForEachPartitionAsync_with_several_workers()
    {
        var store = await StoreWithAsync(900);
        var migration = SeedDefinition.FromCode("0002_version", SeedPhase.Post, "sha256:code", "migrations/post/0002_version.cs", null, new VersionBump());
        var options = new SeedRunnerOptions { Capabilities = new StoreCapabilities { Partitions = store }, BackfillWorkers = 3, BackfillBatchSize = 100 };

        var dry = await new SeedRunner(store, options: options).RunAsync(new ServiceSeeds("svc-code", [], [migration]), RunRequest.PostDeploy(dryRun: true));
        var real = await new SeedRunner(store, options: options).RunAsync(new ServiceSeeds("svc-code", [], [migration]), RunRequest.PostDeploy());

        Assert.Equal(900, dry.Updated);
        Assert.Equal(900, real.Updated);
        var all = await store.QueryAsync(new DocumentQuery("items", []));
        Assert.All(all, d => Assert.Equal(2, d.Fields["version"].AsInteger()));
    }

    [Fact]
    public async Task A_runner_that_finds_the_lease_held_joins_the_holders_backfill_as_a_worker()
    {
        var inner = await StoreWithAsync(1000);
        var service = BackfillService("svc-join");
        var options = new SeedRunnerOptions
        {
            Capabilities = new StoreCapabilities { Partitions = inner }, BackfillPartitions = 8, BackfillBatchSize = 20, LockPollInterval = TimeSpan.FromMilliseconds(10),
        };
        var holder = new DyingStore(inner, commitsBeforeDeath: int.MaxValue, delay: TimeSpan.FromMilliseconds(15));
        var joiner = new DyingStore(inner, commitsBeforeDeath: int.MaxValue, delay: TimeSpan.FromMilliseconds(15));

        var first = new SeedRunner(holder, options: options with { Owner = "holder" }).RunAsync(service, RunRequest.PostDeploy());
        while ((await inner.QueryAsync(new DocumentQuery(BackfillRecords.CollectionOf("svc-join"), []))).Count == 0)
        {
            await Task.Delay(5);
        }

        var second = await new SeedRunner(joiner, options: options with { Owner = "joiner" }).RunAsync(service, RunRequest.PostDeploy());
        var firstReport = await first;

        Assert.True(joiner.BackfillCommits > 0, "the second runner worked on partitions while it waited");
        Assert.True(holder.BackfillCommits > 0);
        Assert.Equal(SeedOutcome.Applied, firstReport.Seeds.Single().Outcome);
        Assert.Equal(SeedOutcome.AlreadyApplied, second.Seeds.Single().Outcome);
        Assert.Equal(1000, (await inner.QueryAsync(new DocumentQuery("items", []))).Count(d => d.Fields["status"].AsString() == "migrated"));
        Assert.Single(await inner.QueryAsync(new DocumentQuery(MigrationHistory.Collection, [])));
    }

    private static ServiceSeeds BackfillService(string name) => new(name, [], [Migration("0001_backfill", SeedPhase.Post, "sha256:bf", SeedStep.Backfill("items", 3, Pending, Migrated))]);

    private static async Task<InMemoryDocumentStore> StoreWithAsync(int count, Func<int, bool>? pending = null)
    {
        var store = new InMemoryDocumentStore();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(500))
        {
            await store.WriteBatchAsync(chunk.Select(i => DocumentWrite.Set(DocumentPath.Create("items", $"i{i:D5}"), new Dictionary<string, Value>
            {
                ["status"] = Value.String(pending is null || pending(i) ? "pending" : "done"), ["n"] = Value.Integer(i), ["version"] = Value.Integer(1),
            })).ToArray());
        }

        return store;
    }

    private sealed class VersionBump : IMigration
    {
        public Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken) =>
            context.ForEachPartitionAsync(new DocumentQuery("items", []), (page, _) => Task.FromResult<IReadOnlyList<DocumentWrite>>(page
                .Select(d => DocumentWrite.Merge(d.Path, new Dictionary<string, Value> { ["version"] = Value.Integer(2) }, Precondition.UpdatedAt(d.UpdateTime!.Value)))
                .ToArray()), cancellationToken: cancellationToken);
    }

    /// <summary>Sums <c>seeding.backfill.documents.read</c> for one service (tests of other services may run at once).</summary>
    private sealed class ReadCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public ReadCounter(string service)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SeedingTelemetry.Name && instrument.Name == "seeding.backfill.documents.read")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "seeding.service" && Equals(tag.Value, service))
                    {
                        Interlocked.Add(ref _total, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A store whose process "dies" after some commits touching backfill records: every call after that fails.</summary>
    private sealed class DyingStore(InMemoryDocumentStore inner, int commitsBeforeDeath, TimeSpan delay = default) : IDocumentStore
    {
        private int _left = commitsBeforeDeath;
        private int _backfillCommits;

        public int BackfillCommits => Volatile.Read(ref _backfillCommits);

        public string Name => inner.Name;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
            Alive() ? inner.GetAllAsync(paths, cancellationToken) : throw Dead();

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            Alive() ? inner.WriteBatchAsync(writes, cancellationToken) : throw Dead();

        public async Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (!Alive())
            {
                throw Dead();
            }

            if (writes.Any(w => w.Path.Collection.EndsWith("/" + BackfillRecords.Subcollection, StringComparison.Ordinal) && w.Kind == WriteKind.Merge))
            {
                if (Interlocked.Decrement(ref _left) < 0)
                {
                    throw Dead();
                }

                Interlocked.Increment(ref _backfillCommits);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, cancellationToken);
                }
            }

            return await inner.CommitAsync(writes, cancellationToken);
        }

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
            Alive() ? inner.QueryAsync(query, cancellationToken) : throw Dead();

        private bool Alive() => Volatile.Read(ref _left) >= 0;

        private static IOException Dead() => new("the process died");
    }
}
