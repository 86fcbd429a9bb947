using System.Text.Json;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Sqlite;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Cli.Tests;

/// <summary><c>migrate --workers/--partitions</c> and <c>status</c>'s view of a backfill interrupted mid-way.</summary>
public sealed class BackfillCommandTests : IDisposable
{
    private static readonly ServiceSeeds Service = new("orders", [],
    [
        new SeedDefinition("0001_expiry", SeedPhase.Post, "sha256:expiry", "migrations/post/0001_expiry.yaml", null,
        [
            SeedStep.Backfill("orders", 3,
                new Dictionary<string, Value> { ["status"] = Value.String("pending"), ["expires_at"] = Value.Null },
                new Dictionary<string, Value> { ["expires_at"] = Value.Timestamp(Timestamp.Parse("2030-01-01T00:00:00Z")) }),
        ]),
    ]);

    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Status_shows_an_interrupted_backfill_per_partition_and_migrate_with_workers_finishes_it()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_workspace.DefaultDatabase)!);
        using (var store = new SqliteDocumentStore(new SqliteStoreOptions(_workspace.DefaultDatabase)))
        {
            await store.CommitAsync(Enumerable.Range(0, 400).Select(i => DocumentWrite.Set(
                DocumentPath.Create("orders", $"o{i:D4}"), new Dictionary<string, Value> { ["status"] = Value.String("pending") })).ToArray());

            // A run stopped (a deploy's SIGTERM) after three batches of 25 of its backfill: its checkpoints stay.
            using var stop = new CancellationTokenSource();
            var options = new SeedRunnerOptions { Capabilities = new StoreCapabilities { Partitions = store }, BackfillPartitions = 4, BackfillBatchSize = 25, Owner = "pod-a" };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new SeedRunner(new StoppingStore(store, afterBackfillBatches: 3, stop), options: options).RunAsync(Service, RunRequest.PostDeploy(), stop.Token));
        }

        var status = await _workspace.RunAsync([Service], "status");
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        Assert.True(status.Output.Contains("Backfill: orders post/0001_expiry (orders): 0/4 partitions done, 75 read, 75 updated.", StringComparison.Ordinal), status.Output);
        // Stopped on purpose, the worker gave its partition up (the checkpoint stays): the next run need not wait out its lease.
        Assert.Matches(@"\s+\d\s+waiting\s+75\s+75\s+orders/o\d{4}\s+-\s+-\n", status.Output);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(status.Output, @"\s+\d\s+waiting\s+0\s+0\s+-\s+-\s+-").Count);

        var json = await _workspace.RunAsync([Service], "status", "--output", "json");
        using (var document = JsonDocument.Parse(json.Output))
        {
            var backfill = document.RootElement.GetProperty("services")[0].GetProperty("backfills")[0];
            Assert.Equal("post/0001_expiry", backfill.GetProperty("migration").GetString());
            Assert.Equal(4, backfill.GetProperty("partitions").GetInt32());
            Assert.Equal(75, backfill.GetProperty("read").GetInt64());
            var resumed = Assert.Single(backfill.GetProperty("partitionStates").EnumerateArray(), p => p.GetProperty("read").GetInt64() == 75);
            Assert.StartsWith("orders/o", resumed.GetProperty("cursor").GetString());
            Assert.Equal(JsonValueKind.Null, resumed.GetProperty("owner").ValueKind);
        }

        // The backfill keeps its 4 partitions (--partitions applies to new ones); 2 workers finish them from the checkpoints.
        var migrate = await _workspace.RunAsync([Service], "migrate", "--phase", "post", "--workers", "2", "--partitions", "8");
        Assert.True(migrate.ExitCode == ExitCodes.Ok, migrate.ToString());
        Assert.True(migrate.Output.Contains("325 updated", StringComparison.Ordinal), migrate.Output);

        var after = await _workspace.RunAsync([Service], "status");
        Assert.DoesNotContain("Backfill:", after.Output);
        Assert.Matches(@"orders\s+post/0001_expiry\s+applied", after.Output);
    }

    [Theory]
    [InlineData("--workers", "0")]
    [InlineData("--workers", "65")]
    [InlineData("--partitions", "257")]
    public async Task Out_of_range_backfill_options_are_usage_errors(string option, string value)
    {
        var result = await _workspace.RunAsync([Service], "migrate", option, value);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(option, result.Error);
    }

    /// <summary>Cancels the run once it has committed some backfill batches, as a SIGTERM would.</summary>
    private sealed class StoppingStore(IDocumentStore inner, int afterBackfillBatches, CancellationTokenSource stop) : IDocumentStore
    {
        private int _batches;

        public string Name => inner.Name;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) => inner.GetAllAsync(paths, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) => inner.WriteBatchAsync(writes, cancellationToken);

        public async Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            var outcomes = await inner.CommitAsync(writes, cancellationToken);
            if (writes.Count > 1 && writes[^1].Path.Collection.EndsWith("/backfills", StringComparison.Ordinal) && ++_batches == afterBackfillBatches)
            {
                await stop.CancelAsync();
            }

            return outcomes;
        }

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
    }
}
