using System.Diagnostics;
using System.Globalization;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Firestore;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Benchmarks;

/// <summary>
/// First seeding of N documents (default 10,000) on the Firestore emulator: Seeding (SeedRunner, one migration,
/// batched reads and writes under the lease) against the per-document loop it replaces (for each document
/// GetAll([one path]) then Commit([Create])), then the same two on a re-run where everything exists. Each
/// approach gets a fresh emulator project; RPCs are counted by a gRPC interceptor. The emulator is started (or
/// reused from FIRESTORE_EMULATOR_HOST) exactly as the Firestore tests do.
/// Options: --docs N, --runs N (median of N runs each, default 3; every run is printed).
/// </summary>
internal static class FirestoreBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var documents = Option(args, "--docs", 10_000);
        var runs = Option(args, "--runs", 3);
        var host = await FirestoreEmulator.HostAsync();
        Console.WriteLine($"Firestore emulator at {host}; first seeding of {documents:N0} documents, median of {runs} run(s) each after a warmup, {Environment.ProcessorCount} cores");

        // Warm up the JIT, the channel and the emulator (its batch paths too) with both code paths.
        await SeedingAsync(documents);
        await LoopAsync(Math.Min(documents, 1_000));

        var seeding = new List<(Measured First, Measured Again)>();
        var loop = new List<(Measured First, Measured Again)>();
        for (var run = 0; run < runs; run++)
        {
            seeding.Add(await SeedingAsync(documents));
            loop.Add(await LoopAsync(documents));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: Seeding {seeding[^1].First.Elapsed.TotalMilliseconds:N0} ms (re-run {seeding[^1].Again.Elapsed.TotalMilliseconds:N1} ms), loop {loop[^1].First.Elapsed.TotalMilliseconds:N0} ms (re-run {loop[^1].Again.Elapsed.TotalMilliseconds:N0} ms)"));
        }

        var s = Median(seeding);
        var l = Median(loop);
        Console.WriteLine();
        Console.WriteLine("| approach | run | time | BatchGetDocuments | BatchWrite | Commit | RunQuery | RPCs |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        Row("Seeding (SeedRunner)", "first seeding", s.First);
        Row("per-document get-then-create", "first seeding", l.First);
        Row("Seeding (SeedRunner)", "re-run, all exist", s.Again);
        Row("per-document get-then-create", "re-run, all exist", l.Again);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first seeding: Seeding is {l.First.Elapsed / s.First.Elapsed:F1}x faster ({l.First.Rpcs:N0} RPCs vs {s.First.Rpcs:N0}); re-run: {l.Again.Elapsed / s.Again.Elapsed:F0}x faster ({l.Again.Rpcs:N0} RPCs vs {s.Again.Rpcs:N0})"));
        return 0;
    }

    private static async Task<(Measured First, Measured Again)> SeedingAsync(int documents)
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        var service = new ServiceSeeds("bench", [], [new SeedDefinition(
            "0001_items", SeedPhase.Pre, $"sha256:bench-{documents}", "migrations/pre/0001_items.yaml", null,
            [SeedStep.Create("items", 2, Enumerable.Range(0, documents).Select(i => new SeedDocument(Id(i), Fields(i), 5 + i)).ToArray())])]);
        var runner = new SeedRunner(store, options: new SeedRunnerOptions { LockTtl = TimeSpan.FromMinutes(10), Capabilities = new Seeding.Store.StoreCapabilities { Indexes = store, RetryCounter = store, WriteRamp = store, ConcurrentWrites = store } });

        var first = await MeasureAsync(calls, async () => Check(documents, (await runner.RunAsync(service, RunRequest.PreDeploy())).Created));
        var again = await MeasureAsync(calls, async () => Check(0, (await runner.RunAsync(service, RunRequest.PreDeploy())).Created));
        await CountAsync(store, documents);
        return (first, again);
    }

    // The pattern Seeding replaces: one read and one commit per document, each a round trip.
    private static async Task<(Measured First, Measured Again)> LoopAsync(int documents)
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;

        async Task<int> SeedAsync()
        {
            var created = 0;
            for (var i = 0; i < documents; i++)
            {
                var path = DocumentPath.Create("items", Id(i));
                if (!(await store.GetAllAsync([path]))[0].Exists)
                {
                    await store.CommitAsync([DocumentWrite.Create(path, Fields(i))]);
                    created++;
                }
            }

            return created;
        }

        var first = await MeasureAsync(calls, async () => Check(documents, await SeedAsync()));
        var again = await MeasureAsync(calls, async () => Check(0, await SeedAsync()));
        await CountAsync(store, documents);
        return (first, again);
    }

    private static string Id(int i) => $"item-{i:D5}";

    private static Dictionary<string, Value> Fields(int i) => new(StringComparer.Ordinal)
    {
        ["n"] = Value.Integer(i),
        ["name"] = Value.String($"Item {i}"),
        ["created_at"] = Value.ServerTimestamp,
    };

    private static async Task<(FirestoreDocumentStore, CallCounter)> NewStoreAsync()
    {
        var options = await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId("bench"));
        var calls = new CallCounter();
        options.Interceptors.Add(calls);
        return (new FirestoreDocumentStore(options), calls);
    }

    private static async Task<Measured> MeasureAsync(CallCounter calls, Func<Task> run)
    {
        calls.Reset();
        var clock = Stopwatch.StartNew();
        await run();
        clock.Stop();
        return new Measured(clock.Elapsed, calls.Snapshot());
    }

    private static void Check(int expected, int created)
    {
        if (created != expected)
        {
            throw new InvalidOperationException($"Expected {expected} documents created, got {created}.");
        }
    }

    private static async Task CountAsync(IDocumentStore store, int expected)
    {
        var count = 0;
        await foreach (var _ in store.QueryAllAsync(new DocumentQuery("items", []), 1000))
        {
            count++;
        }

        Check(expected, count);
    }

    private static (Measured First, Measured Again) Median(List<(Measured First, Measured Again)> results) =>
        (results.OrderBy(r => r.First.Elapsed).ElementAt(results.Count / 2).First, results.OrderBy(r => r.Again.Elapsed).ElementAt(results.Count / 2).Again);

    private static void Row(string approach, string run, Measured m) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {approach} | {run} | {m.Elapsed.TotalMilliseconds:N1} ms | {m["BatchGetDocuments"]:N0} | {m["BatchWrite"]:N0} | {m["Commit"]:N0} | {m["RunQuery"]:N0} | {m.Rpcs:N0} |"));

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Measured(TimeSpan Elapsed, IReadOnlyDictionary<string, int> Calls)
    {
        public int this[string method] => Calls.GetValueOrDefault(method);

        public int Rpcs => Calls.Values.Sum();
    }
}
