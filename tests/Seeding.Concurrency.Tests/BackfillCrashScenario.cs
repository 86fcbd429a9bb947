using System.Diagnostics.Metrics;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// Service <c>bfcrash</c>: one post-deploy migration whose backfill step marks every <c>pending</c> item migrated.
/// Its runner processes (<c>backfill</c> mode of <see cref="Program"/>) pace each batch so the campaign can kill them
/// mid-backfill, and log every document their backfill workers read (the <c>seeding.backfill.documents.read</c> metric)
/// and every partition they take over (<c>seeding.backfill.takeovers</c>) to files that survive a kill.
/// </summary>
public static class BackfillCrashScenario
{
    public const string Service = "bfcrash";
    public const string Collection = "items";

    /// <summary>The migration and partition leases: short, so a killed worker's partition is taken over quickly.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    public static readonly SeedDefinition Migration = new("0001_mark_migrated", SeedPhase.Post, "sha256:bfcrash", "migrations/post/0001_mark_migrated.yaml", null,
    [
        SeedStep.Backfill(Collection, 3,
            new Dictionary<string, Value> { ["status"] = Value.String("pending"), ["migrated_by"] = Value.Null },
            new Dictionary<string, Value> { ["status"] = Value.String("migrated"), ["version"] = Value.Integer(2), ["tags"] = Value.Array([Value.String("v2")]) }),
    ]);

    public static ServiceSeeds Seeds() => new(Service, [], [Migration]);

    /// <summary>Every runner's options: 6 partitions, one worker per process, batches of <paramref name="batch"/>, a 2 s lease.</summary>
    public static SeedRunnerOptions Options(string owner, IDocumentStore store, int batch) => Program.RunnerOptions(owner) with
    {
        Capabilities = new StoreCapabilities { Partitions = store as IPartitionQueryStore },
        BackfillPartitions = 6,
        BackfillWorkers = 1,
        BackfillBatchSize = batch,
        LockTtl = Lease,
        LockPollInterval = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>
    /// Items i000000…: three in four pending (the backfill's matches), the rest done; returns the matches. Written in
    /// batches of 500, four in flight on a store that takes them (Firestore), so 100,000 documents load in seconds.
    /// </summary>
    public static async Task<int> SetupAsync(IDocumentStore store, int count, CancellationToken cancellationToken = default)
    {
        var inFlight = store is IConcurrentWriteBatchStore ? 4 : 1; // independent BatchWrite calls; SQLite has one writer anyway
        await Parallel.ForEachAsync(Enumerable.Range(0, count).Chunk(500), new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            var outcomes = await store.WriteBatchAsync(chunk.Select(i => DocumentWrite.Set(DocumentPath.Create(Collection, $"i{i:D6}"), new Dictionary<string, Value>
            {
                ["status"] = Value.String(i % 4 == 0 ? "done" : "pending"),
                ["n"] = Value.Integer(i),
                ["version"] = Value.Integer(1),
            })).ToArray(), token);
            if (outcomes.Any(o => !o.Applied))
            {
                throw new InvalidOperationException($"Setting up {store.Name}: a write of the chunk from i{chunk[0]:D6} was not applied.");
            }
        });

        return MatchesOf(count);
    }

    /// <summary>How many of <paramref name="count"/> items the backfill matches (the pending ones).</summary>
    public static int MatchesOf(int count) => count - (count + 3) / 4;

    /// <summary>The runner process: paced backfill batches, reads logged to <c>reads-{name}</c>, the outcome to <c>out-{name}</c>.</summary>
    public static async Task RunWorkerAsync(StoreSpec spec, string exchange, string name, int batch, TimeSpan pace)
    {
        var store = spec.Open();
        // Each instrument's measurements to its own file: reads-{name}, takeovers-{name}.
        var logs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["seeding.backfill.documents.read"] = Path.Combine(exchange, $"reads-{name}"),
            ["seeding.backfill.takeovers"] = Path.Combine(exchange, $"takeovers-{name}"),
        };
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SeedingTelemetry.Name && logs.ContainsKey(instrument.Name))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        var gate = new object();
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (gate)
            {
                File.AppendAllText(logs[instrument.Name], $"{value}\n"); // in the OS's hands before the next batch: a kill keeps it
            }
        });
        listener.Start();
        try
        {
            var report = await new SeedRunner(new PacedStore(store, pace), options: Options(name, store, batch)).RunAsync(Seeds(), RunRequest.PostDeploy());
            await File.WriteAllTextAsync(Path.Combine(exchange, $"out-{name}"), report.Seeds.Single().Outcome.ToString());
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>Sums every process's read log: the <c>seeding.backfill.documents.read</c> metric over the whole backfill.</summary>
    public static long ReadsLogged(string exchange) => Logged(exchange, "reads");

    /// <summary>Sums every process's takeover log: the <c>seeding.backfill.takeovers</c> metric (partitions resumed after their worker's lease expired).</summary>
    public static long TakeoversLogged(string exchange) => Logged(exchange, "takeovers");

    private static long Logged(string exchange, string instrument) =>
        Directory.GetFiles(exchange, $"{instrument}-*").SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Sum(long.Parse);

    /// <summary>
    /// A store that waits <paramref name="pace"/> before each commit of a backfill batch (so a backfill lasts long enough to
    /// be killed in). It reads as the store under it does: one stream per partition on Firestore, as in production.
    /// </summary>
    private sealed class PacedStore(IDocumentStore inner, TimeSpan pace) : IDocumentStore, IStreamingQueryStore
    {
        public IAsyncEnumerable<DocumentSnapshot> StreamAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
            inner.QueryAllAsync(query, cancellationToken: cancellationToken);

        public string Name => inner.Name;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) => inner.GetAllAsync(paths, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) => inner.WriteBatchAsync(writes, cancellationToken);

        public async Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (writes.Count > 1 && writes[^1].Path.Collection.EndsWith("/backfills", StringComparison.Ordinal))
            {
                await Task.Delay(pace, cancellationToken);
            }

            return await inner.CommitAsync(writes, cancellationToken);
        }

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
    }
}
