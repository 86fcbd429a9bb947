using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Concurrency.Tests;

/// <summary>Partitions, checkpoints and takeover on the embedded store.</summary>
public sealed class SqliteBackfillTakeoverTests : BackfillTakeoverTests, IDisposable
{
    private readonly ScratchDirectory _scratch = new("seeding-backfill-takeover");

    public void Dispose() => _scratch.Dispose();

    protected override Task<StoreSpec> NewStoreAsync() => Task.FromResult(StoreSpec.Sqlite(Path.Combine(_scratch.Path, $"{Guid.NewGuid():N}.db")));
}

/// <summary>Partitions, checkpoints and takeover on the Firestore emulator.</summary>
public sealed class FirestoreBackfillTakeoverTests : BackfillTakeoverTests
{
    protected override async Task<StoreSpec> NewStoreAsync() => StoreSpec.Firestore(await FirestoreEmulator.HostAsync(), FirestoreEmulator.NewProjectId("takeover"));
}

/// <summary>
/// A runner dies (its store stops answering) in the middle of a partitioned backfill; its checkpoints and claims stay in
/// the store. <c>status</c>'s view shows the partitions, the next runner takes the dead one's partition over from its
/// checkpoint once its lease expires, and the migration is recorded once.
/// </summary>
public abstract class BackfillTakeoverTests
{
    protected abstract Task<StoreSpec> NewStoreAsync();

    [Fact]
    public async Task A_dead_runners_partition_is_resumed_from_its_checkpoint_after_its_lease_expires()
    {
        const int batch = 20;
        var spec = await NewStoreAsync();
        var store = spec.Open();
        try
        {
            var matches = await BackfillCrashScenario.SetupAsync(store, 400); // 300 matches
            var options = BackfillCrashScenario.Options("first", store, batch) with { BackfillPartitions = 3, LockTtl = TimeSpan.FromMilliseconds(800) };

            // Dies in its fourth commit of a backfill batch: after the claim and two batches (commit 1 is the claim).
            var dying = new DyingStore(store, backfillCommits: 3);
            await Assert.ThrowsAnyAsync<Exception>(() => new SeedRunner(dying, options: options).RunAsync(BackfillCrashScenario.Seeds(), RunRequest.PostDeploy()));

            var progress = Assert.Single(await new SeedRunner(store).GetBackfillsAsync(BackfillCrashScenario.Service));
            Assert.Equal(3, progress.PartitionCount);
            Assert.Equal(0, progress.Done);
            Assert.Equal(2 * batch, progress.Scanned);
            var held = Assert.Single(progress.Partitions, p => p.Owner is not null);
            Assert.Equal("first", held.Owner);
            Assert.NotNull(held.Cursor);
            Assert.Equal(2 * batch, held.Updated);

            var report = await new SeedRunner(store, options: options with { Owner = "second" }).RunAsync(BackfillCrashScenario.Seeds(), RunRequest.PostDeploy());

            Assert.Equal(SeedOutcome.Applied, report.Seeds.Single().Outcome);
            var items = await RaceScenario.AllAsync(store, BackfillCrashScenario.Collection);
            Assert.Equal(matches, items.Count(d => d.Fields["status"].Equals(Value.String("migrated"))));
            Assert.Single(await RaceScenario.AllAsync(store, MigrationHistory.Collection));
            Assert.Empty(await new SeedRunner(store).GetBackfillsAsync(BackfillCrashScenario.Service));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>A store whose process "dies" at a backfill batch commit: that call and every later one fail.</summary>
    private sealed class DyingStore(IDocumentStore inner, int backfillCommits) : IDocumentStore
    {
        private int _left = backfillCommits;

        public string Name => inner.Name;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
            Alive() ? inner.GetAllAsync(paths, cancellationToken) : throw Dead();

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            Alive() ? inner.WriteBatchAsync(writes, cancellationToken) : throw Dead();

        public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (writes.Any(w => w.Kind == WriteKind.Merge && w.Path.Collection.EndsWith("/backfills", StringComparison.Ordinal)) && Interlocked.Decrement(ref _left) < 0)
            {
                throw Dead();
            }

            return Alive() ? inner.CommitAsync(writes, cancellationToken) : throw Dead();
        }

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
            Alive() ? inner.QueryAsync(query, cancellationToken) : throw Dead();

        private bool Alive() => Volatile.Read(ref _left) >= 0;

        private static IOException Dead() => new("the process died");
    }
}
