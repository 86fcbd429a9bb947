using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Hosting;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Hosting.Tests;

/// <summary><c>Seeding:Backfill:Workers</c> and <c>Seeding:Backfill:Partitions</c> reach the host's runner.</summary>
public class BackfillConfigurationTests
{
    private static readonly ServiceSeeds Seeds = new("orders", [],
    [
        new SeedDefinition("0001_flag", SeedPhase.Post, "sha256:flag", "migrations/post/0001_flag.yaml", null,
            [SeedStep.Backfill("orders", 1, new Dictionary<string, Value> { ["flag"] = Value.Null }, new Dictionary<string, Value> { ["flag"] = Value.Boolean(true) })]),
    ]);

    [Fact]
    public async Task A_host_backfills_with_the_configured_partitions_and_workers()
    {
        var inner = new InMemoryDocumentStore();
        await inner.CommitAsync(Enumerable.Range(0, 400).Select(i => DocumentWrite.Set(DocumentPath.Create("orders", $"o{i:D4}"), new Dictionary<string, Value> { ["n"] = Value.Integer(i) })).ToArray());
        var store = new WatchingStore(inner);
        var builder = Host.CreateApplicationBuilder(["--Seeding:Phases=post", "--Seeding:Backfill:Workers=3", "--Seeding:Backfill:Partitions=4"]);
        builder.Services.AddSingleton<IDocumentStore>(store);
        builder.Services.AddSeeding(Seeds);
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.Equal(4, store.PartitionsClaimed.Count);
        Assert.True(store.MostQueriesAtOnce >= 2, $"at most {store.MostQueriesAtOnce} partition read at once");
        Assert.All(await inner.QueryAsync(new DocumentQuery("orders", [])), d => Assert.Equal(Value.Boolean(true), d.Fields["flag"]));
    }

    [Theory]
    [InlineData("Workers", "0")]
    [InlineData("Partitions", "300")]
    public void Out_of_range_settings_stop_the_host_naming_the_key(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder([$"--Seeding:Backfill:{key}={value}"]);
        builder.Services.AddSingleton<IDocumentStore>(new InMemoryDocumentStore());
        builder.Services.AddSeeding(Seeds);
        using var host = builder.Build();

        var error = Assert.Throws<SeedingConfigurationException>(() => host.Services.GetRequiredService<Running.SeedRunner>());
        Assert.Equal($"Seeding:Backfill:{key}", error.Setting);
        Assert.Contains(value, error.Message);
    }

    /// <summary>Records the partitions claimed and how many partition reads overlap (each read takes 20 ms).</summary>
    private sealed class WatchingStore(InMemoryDocumentStore inner) : IDocumentStore, IPartitionQueryStore
    {
        private int _queries;
        private int _most;

        public HashSet<DocumentPath> PartitionsClaimed { get; } = [];

        public int MostQueriesAtOnce => Volatile.Read(ref _most);

        public string Name => inner.Name;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) => inner.GetAllAsync(paths, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) => inner.WriteBatchAsync(writes, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            lock (PartitionsClaimed)
            {
                foreach (var write in writes.Where(w => w.Kind == WriteKind.Merge && w.Path.Collection.EndsWith("/backfills", StringComparison.Ordinal)))
                {
                    PartitionsClaimed.Add(write.Path);
                }
            }

            return inner.CommitAsync(writes, cancellationToken);
        }

        public async Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default)
        {
            if (query.Collection != "orders")
            {
                return await inner.QueryAsync(query, cancellationToken);
            }

            var now = Interlocked.Increment(ref _queries);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }

            try
            {
                await Task.Delay(20, cancellationToken);
                return await inner.QueryAsync(query, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _queries);
            }
        }

        public Task<IReadOnlyList<DocumentPath>> SplitAsync(string collection, int partitionCount, CancellationToken cancellationToken = default) =>
            inner.SplitAsync(collection, partitionCount, cancellationToken);
    }
}
