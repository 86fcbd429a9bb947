using System.Globalization;
using System.Text;
using static Seeding.Benchmarks.WholeProcess;
using Seeding.TestSupport;

namespace Seeding.Benchmarks;

/// <summary>
/// Pub/Sub resource steps end to end, each contender a whole process on Google's Pub/Sub emulator:
/// <list type="bullet">
/// <item><c>build</c>: <c>dotnet build -c Release</c> of a service whose one pre-deploy migration declares N topics, each
/// with one subscription (N = 10, 100, 1000 by default: 1×, 10×, 100×).</item>
/// <item><c>run</c>: per run and N, alternated: the service ensuring them in a fresh emulator project (history in the
/// embedded SQLite store, a file per project) and its no-op re-run; the official Node client
/// (<c>@google-cloud/pubsub</c>, pinned in <c>peers/package-lock.json</c>) checking then creating the same resources one
/// after the other and its re-run, and all at once; a gcloud CLI script (list, then create the missing ones) and its
/// re-run, up to <c>--gcloud-up-to</c> topics (one gcloud process per subscription: about 0.6 s each).</item>
/// </list>
/// Options: --sizes 10,100,1000 --runs 3 --gcloud-up-to 100 --skip-build --keep (keeps /tmp/seeding-bench-resources).
/// </summary>
internal static class ResourceBenchmark
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "seeding-bench-resources");
    private static readonly string Peers = Path.Combine(ServiceProjects.RepositoryRoot, "tests", "Seeding.Benchmarks", "peers");

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (Value(args, "--sizes") ?? "10,100,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(Value(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var gcloudUpTo = int.Parse(Value(args, "--gcloud-up-to") ?? "100", CultureInfo.InvariantCulture);
        var projects = sizes.Select(n => (N: n, Project: Create($"topics{n}", n))).ToList();

        if (!args.Contains("--skip-build"))
        {
            await BuildAsync(projects[0].Project); // builds the runtime and generator once, so the rows below measure the service
            Console.WriteLine("| service | topics + subscriptions | dotnet build -c Release | peak RSS of the build (compiler) |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (n, project) in projects)
            {
                var build = await BuildAsync(project);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| topics{n} | {n:N0} + {n:N0} | {build.Seconds:F1} s | {build.RssMb:F0} MB |"));
            }
        }

        var host = await PubSubEmulator.HostAsync();
        EnsureNodePackages(Peers);
        var environment = PeerEnvironment(host);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Pub/Sub emulator at {host} (started in {PubSubEmulator.StartTime.TotalSeconds:F1} s); whole processes alternated, {runs} run(s), {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        foreach (var (n, project) in projects)
        {
            var dll = Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net10.0", $"topics{n}.dll");
            if (!File.Exists(dll))
            {
                Console.Error.WriteLine($"{dll} is not built: run without --skip-build (or keep the last build with --keep).");
                return 2;
            }

            var count = n.ToString(CultureInfo.InvariantCulture);
            var results = new Dictionary<string, List<Measured>>(); // rows in first-seen order
            var peer = Path.Combine(Peers, "pubsub-peer.js");
            var contenders = new List<Func<Task>>
            {
                async () =>
                {
                    var projectId = PubSubEmulator.NewProjectId("seeding");
                    var history = Path.Combine(Folder, projectId + ".db");
                    Add(results, "Seeding, first run", Expect(await TimeAsync(environment, "dotnet", [dll, projectId, history]), created: 2 * n, rpcs: 2 * n)); // a migration creates first: one call per absent resource
                    Add(results, "Seeding, no-op run", Expect(await TimeAsync(environment, "dotnet", [dll, projectId, history]), created: 0, rpcs: 0));
                },
                async () =>
                {
                    var projectId = PubSubEmulator.NewProjectId("node");
                    Add(results, "Node, check then create, one by one", Expect(await TimeAsync(environment, "node", [peer, "sequential", projectId, count]), created: 2 * n));
                    Add(results, "Node, re-run (2 exists() per topic)", Expect(await TimeAsync(environment, "node", [peer, "sequential", projectId, count]), created: 0));
                },
                async () => Add(results, "Node, check then create, all at once", Expect(await TimeAsync(environment, "node", [peer, "concurrent", PubSubEmulator.NewProjectId("nodec"), count]), created: 2 * n)),
            };
            if (n <= gcloudUpTo)
            {
                contenders.Add(async () =>
                {
                    var projectId = PubSubEmulator.NewProjectId("gcloud");
                    Add(results, "gcloud script, first run", Expect(await TimeAsync(environment, Path.Combine(Peers, "gcloud-peer.sh"), [projectId, count]), created: 2 * n));
                    Add(results, "gcloud script, re-run (2 list calls)", Expect(await TimeAsync(environment, Path.Combine(Peers, "gcloud-peer.sh"), [projectId, count]), created: 0));
                });
            }

            // Alternated, and the order rotated each run: the emulator holds more topics as a run goes on, so no
            // contender always meets the emptiest (or the fullest) emulator.
            for (var run = 0; run < runs; run++)
            {
                for (var k = 0; k < contenders.Count; k++)
                {
                    await contenders[(run + k) % contenders.Count]();
                }
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"N = {n:N0} topics, each with one subscription: median of {runs} (peak RSS: the highest of the runs), load average {LoadAverage()}"));
            Console.WriteLine("| what | whole process | peak RSS | registry load | start to ready | work | waiting for Pub/Sub | Pub/Sub RPCs |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (what, list) in results)
            {
                var m = MedianRun(list);
                var rpcs = m.Details.TryGetValue("rpcs", out var r) ? r.ToString("N0", CultureInfo.InvariantCulture) : "-";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {what} | {m.Seconds:F2} s | {list.Max(x => x.RssMb):F0} MB | {Ms(m, "registry_ms")} | {Ms(m, "ready_ms")} | {Ms(m, "work_ms")} | {Ms(m, "rpc_ms")} | {rpcs} |"));
            }

            var seeding = Median(results["Seeding, first run"]);
            var fastestPeer = results.Where(x => !x.Key.StartsWith("Seeding", StringComparison.Ordinal) && !x.Key.Contains("re-run", StringComparison.Ordinal)).Min(x => Median(x.Value));
            var peerNoOp = results.Where(x => x.Key.Contains("re-run", StringComparison.Ordinal)).Min(x => Median(x.Value));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio, whole process (the fastest peer / Seeding): first run {fastestPeer / seeding:F2}x, re-run {peerNoOp / Median(results["Seeding, no-op run"]):F2}x"));
        }

        if (!args.Contains("--keep"))
        {
            Directory.Delete(Folder, recursive: true);
        }

        return 0;
    }

    private static Dictionary<string, string> PeerEnvironment(string host) => new()
    {
        ["PUBSUB_EMULATOR_HOST"] = host,
        ["METADATA_SERVER_DETECTION"] = "none", // the Node client must not look for a GCE metadata server
        ["NODE_PATH"] = Path.Combine(Peers, "node_modules"),
        // gcloud: to the emulator, with a placeholder token (the emulator checks none), and a configuration of its own
        // (the user's gcloud settings are neither read nor changed).
        ["CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB"] = $"http://{host}/",
        ["CLOUDSDK_AUTH_ACCESS_TOKEN_FILE"] = TokenFile(),
        ["CLOUDSDK_CONFIG"] = Path.Combine(Folder, "gcloud-config"),
        ["CLOUDSDK_CORE_DISABLE_PROMPTS"] = "1",
    };

    private static string TokenFile()
    {
        var path = Path.Combine(Folder, "emulator-token");
        File.WriteAllText(path, "emulator");
        return path;
    }

    // The process's own figures must say it did the work (the runs are not timed doing nothing).
    private static Measured Expect(Measured m, int created, int? rpcs = null)
    {
        if (m.Details.GetValueOrDefault("created", -1) != created || (rpcs is { } expected && m.Details.GetValueOrDefault("rpcs", -1) != expected))
        {
            throw new InvalidOperationException($"expected {created} created{(rpcs is null ? "" : $" and {rpcs} Pub/Sub RPCs")}, the process reported {string.Join(", ", m.Details.Select(d => $"{d.Key}={d.Value}"))}");
        }

        return m;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string Create(string name, int n)
    {
        var project = ServiceProjects.WriteProject(Folder, name, ["Seeding.Sqlite", "Seeding.PubSub"], Program);
        var yaml = new StringBuilder(n * 90);
        yaml.Append(CultureInfo.InvariantCulture, $"description: {n} topics, each with one subscription\nsteps:\n");
        for (var i = 1; i <= n; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - topic: topic-{i:D5}\n  - subscription: sub-{i:D5}\n    topic: topic-{i:D5}\n");
        }

        File.WriteAllText(Path.Combine(Path.GetDirectoryName(project)!, "migrations", "pre", "0001_topics.yaml"), yaml.ToString());
        return project;
    }

    // The service's entry point: args = Pub/Sub project id, SQLite history file. Prints one JSON line: start to the
    // registry loaded, start to the runner ready (before its first call), the run, the part of it spent waiting for
    // Pub/Sub, resources created, Pub/Sub RPCs sent.
    private const string Program = """
        using System.Diagnostics;
        using Grpc.Core;
        using Grpc.Core.Interceptors;
        using Seeding.PubSub;
        using Seeding.Resources;
        using Seeding.Running;
        using Seeding.Sqlite;

        var process = Process.GetCurrentProcess();
        double SinceStart() => (DateTime.Now - process.StartTime).TotalMilliseconds;
        var service = Bench.Seeds.SeedingRegistry.Service;
        var registry = SinceStart();
        var calls = new CallCounter();
        await using var store = new SqliteDocumentStore(new SqliteStoreOptions(args[1]));
        using var pubsub = new PubSubAdmin(new PubSubOptions { ProjectId = args[0], EmulatorHost = Environment.GetEnvironmentVariable(PubSubOptions.EmulatorHostVariable), Interceptors = { calls } });
        var runner = new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubsub, LockTtl = TimeSpan.FromMinutes(10) });
        var ready = SinceStart();
        var clock = Stopwatch.StartNew();
        var report = await runner.RunAsync(service, RunRequest.PreDeploy());
        var work = clock.Elapsed.TotalMilliseconds;
        var created = report.Resources.Count(r => r.Action == ResourceAction.Create);
        Console.WriteLine(FormattableString.Invariant($"{{\"registry_ms\":{registry:F0},\"ready_ms\":{ready:F0},\"work_ms\":{work:F0},\"rpc_ms\":{calls.Milliseconds:F0},\"created\":{created},\"rpcs\":{calls.Count}}}"));

        // Every Pub/Sub call the runner sends (retries included), and the time spent waiting for their answers: the
        // rest of the run's work is the runner's own (plan, SQLite history, lease).
        sealed class CallCounter : Interceptor
        {
            private int _count;
            private long _ticks;

            public int Count => _count;

            public double Milliseconds => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks)).TotalMilliseconds;

            public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
            {
                Interlocked.Increment(ref _count);
                var started = Stopwatch.GetTimestamp();
                var call = continuation(request, context);
                return new AsyncUnaryCall<TResponse>(Timed(call.ResponseAsync, started), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
            }

            private async Task<TResponse> Timed<TResponse>(Task<TResponse> response, long started)
            {
                try
                {
                    return await response;
                }
                finally
                {
                    Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
                }
            }
        }
        """;

    private static Task<Measured> BuildAsync(string project) => WholeProcess.BuildAsync(project);
}
