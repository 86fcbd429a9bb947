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
/// Does sending BatchWrite calls concurrently pay? N documents (default 10,000) created with must-not-exist writes
/// through <see cref="FirestoreDocumentStore.WriteBatchAsync"/> in batches of 500, with 1 (what the runner does), 2
/// or 4 batches in flight, each approach on a fresh emulator project, alternated run by run; median of --runs. Then
/// the first seeding of the same documents through SeedRunner with the store's MaxWriteBatchesInFlight set to each.
/// Options: --docs N, --runs N, --in-flight 1,2,4.
/// </summary>
internal static class FirestoreWriteBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var documents = Option(args, "--docs", "10000").Select(Number).Single();
        var runs = Option(args, "--runs", "3").Select(Number).Single();
        var inFlight = Option(args, "--in-flight", "1,2,4").Select(Number).ToArray();
        var host = await FirestoreEmulator.HostAsync();
        Console.WriteLine($"Firestore emulator at {host}; {documents:N0} creates in batches of 500, {string.Join("/", inFlight)} in flight, median of {runs} run(s) after a warmup, {Environment.ProcessorCount} cores");

        foreach (var k in inFlight)
        {
            await WriteAsync(documents, k);
        }

        var times = inFlight.ToDictionary(k => k, _ => new List<(TimeSpan Elapsed, int Calls)>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var k in inFlight)
            {
                times[k].Add(await WriteAsync(documents, k));
            }

            Console.WriteLine($"run {run + 1}: " + string.Join(", ", inFlight.Select(k =>
                string.Create(CultureInfo.InvariantCulture, $"{k} in flight {times[k][^1].Elapsed.TotalMilliseconds:N0} ms"))));
        }

        Console.WriteLine();
        Console.WriteLine("| BatchWrite calls in flight | time (median) | BatchWrite RPCs | vs sequential |");
        Console.WriteLine("|---:|---:|---:|---:|");
        var sequential = Median(times[inFlight[0]]).Elapsed;
        foreach (var k in inFlight)
        {
            var (elapsed, calls) = Median(times[k]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {k} | {elapsed.TotalMilliseconds:N0} ms | {calls:N0} | {sequential / elapsed:F2}x |"));
        }

        // The same through the runner: one migration of N documents, the store's MaxWriteBatchesInFlight set to k.
        var runner = inFlight.ToDictionary(k => k, _ => new List<(TimeSpan Elapsed, int Calls)>());
        foreach (var k in inFlight)
        {
            await RunnerAsync(documents, k);
        }

        for (var run = 0; run < runs; run++)
        {
            foreach (var k in inFlight)
            {
                runner[k].Add(await RunnerAsync(documents, k));
            }

            Console.WriteLine($"runner run {run + 1}: " + string.Join(", ", inFlight.Select(k =>
                string.Create(CultureInfo.InvariantCulture, $"{k} in flight {runner[k][^1].Elapsed.TotalMilliseconds:N0} ms"))));
        }

        Console.WriteLine();
        Console.WriteLine("| SeedRunner, MaxWriteBatchesInFlight | first seeding (median) | BatchWrite RPCs | vs sequential |");
        Console.WriteLine("|---:|---:|---:|---:|");
        var runnerSequential = Median(runner[inFlight[0]]).Elapsed;
        foreach (var k in inFlight)
        {
            var (elapsed, calls) = Median(runner[k]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {k} | {elapsed.TotalMilliseconds:N0} ms | {calls:N0} | {runnerSequential / elapsed:F2}x |"));
        }

        return 0;
    }

    private static async Task<(TimeSpan Elapsed, int Calls)> RunnerAsync(int documents, int inFlight)
    {
        var options = await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId("writes"));
        options.MaxWriteBatchesInFlight = inFlight;
        var calls = new CallCounter();
        options.Interceptors.Add(calls);
        await using var store = new FirestoreDocumentStore(options);
        var service = new ServiceSeeds("bench", [], [new SeedDefinition(
            "0001_items", SeedPhase.Pre, $"sha256:bench-{documents}", "migrations/pre/0001_items.yaml", null,
            [SeedStep.Create("items", 2, Enumerable.Range(0, documents).Select(i => new SeedDocument($"item-{i:D6}", Fields(i), 5 + i)).ToArray())])]);
        var clock = Stopwatch.StartNew();
        var report = await new SeedRunner(store, options: new SeedRunnerOptions { LockTtl = TimeSpan.FromMinutes(10), Capabilities = new Seeding.Store.StoreCapabilities { Indexes = store, RetryCounter = store, WriteRamp = store, ConcurrentWrites = store } }).RunAsync(service, RunRequest.PreDeploy());
        clock.Stop();
        if (report.Created != documents)
        {
            throw new InvalidOperationException($"Expected {documents} documents created, got {report.Created}.");
        }

        return (clock.Elapsed, calls["BatchWrite"]);
    }

    private static async Task<(TimeSpan Elapsed, int Calls)> WriteAsync(int documents, int inFlight)
    {
        var options = await FirestoreEmulator.OptionsAsync(FirestoreEmulator.NewProjectId("writes"));
        options.MaxWriteBatchesInFlight = inFlight;
        var calls = new CallCounter();
        options.Interceptors.Add(calls);
        await using var store = new FirestoreDocumentStore(options);
        var batches = new Queue<DocumentWrite[]>(Enumerable.Range(0, documents)
            .Select(i => DocumentWrite.Create(DocumentPath.Create("items", $"item-{i:D6}"), Fields(i)))
            .Chunk(store.MaxBatchSize));
        var created = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            while (true)
            {
                DocumentWrite[] batch;
                lock (batches)
                {
                    if (!batches.TryDequeue(out batch!))
                    {
                        return;
                    }
                }

                var outcomes = await store.WriteBatchAsync(batch);
                Interlocked.Add(ref created, outcomes.Count(o => o.Applied));
            }
        }));
        clock.Stop();
        if (created != documents)
        {
            throw new InvalidOperationException($"Expected {documents} documents created, got {created}.");
        }

        return (clock.Elapsed, calls["BatchWrite"]);
    }

    private static Dictionary<string, Value> Fields(int i) => new(StringComparer.Ordinal)
    {
        ["n"] = Value.Integer(i),
        ["name"] = Value.String($"Item {i}"),
        ["created_at"] = Value.ServerTimestamp,
    };

    private static (TimeSpan Elapsed, int Calls) Median(List<(TimeSpan Elapsed, int Calls)> results) =>
        results.OrderBy(r => r.Elapsed).ElementAt(results.Count / 2);

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static IEnumerable<string> Option(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return (at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback).Split(',');
    }
}
