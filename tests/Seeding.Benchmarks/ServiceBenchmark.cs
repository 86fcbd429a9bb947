using System.Globalization;
using static Seeding.Benchmarks.WholeProcess;
using Seeding.TestSupport;

namespace Seeding.Benchmarks;

/// <summary>
/// Large seeds end to end, each in its own process as in production:
/// <list type="bullet">
/// <item><c>build</c>: <c>dotnet build -c Release</c> of generated service projects (10,000 documents in 2 files, 100,000 in
/// 20 files of 5,000 and in one file), wall time and the peak RSS of the largest process of the build (the compiler,
/// run out of process: no shared compiler server, no node reuse).</item>
/// <item><c>run</c>: on the emulator, whole-process first seeding of those services (and the no-op re-run), alternated in
/// one run with two Node peers written with the official client (<c>getAll</c> then <c>batch()</c> of 500, and
/// BulkWriter with throttling off); wall time and peak RSS of each process; the service's registry load and start to
/// first RPC against an empty service's.</item>
/// </list>
/// Options: --sizes 10000,100000 --runs 3 --skip-build --build-only --keep (keeps the temp projects in /tmp/seeding-bench)
/// --threshold N (builds with <c>SeedingCompactThreshold=N</c>; a large N measures the initializer form, as before).
/// </summary>
internal static class ServiceBenchmark
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "seeding-bench");

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (Value(args, "--sizes") ?? "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(Value(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var threshold = Value(args, "--threshold");
        var projects = new List<(string Name, int Documents, string Project)>
        {
            ("empty", 1, ServiceProjects.Create(Folder, "empty", 1, 1)),
        };
        foreach (var size in sizes)
        {
            projects.Add(($"svc{size}", size, ServiceProjects.Create(Folder, $"svc{size}", Math.Max(1, size / 5000), Math.Min(size, 5000))));
        }

        if (sizes.Contains(100_000))
        {
            projects.Add(("svc100000x1", 100_000, ServiceProjects.Create(Folder, "svc100000x1", 1, 100_000)));
        }

        if (!args.Contains("--skip-build"))
        {
            Console.WriteLine("| service | documents | files | dotnet build -c Release | peak RSS of the build (compiler) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            await BuildAsync(projects[0].Project, threshold); // builds the runtime and generator once, so the rows below measure the service
            foreach (var (name, documents, project) in projects)
            {
                var (seconds, rssKb) = await BuildAsync(project, threshold);
                var files = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(project)!, "migrations", "pre")).Length;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {documents:N0} | {files} | {seconds:F1} s | {rssKb / 1024.0 / 1024.0:F2} GB |"));
            }
        }

        if (args.Contains("--build-only"))
        {
            Directory.Delete(Folder, recursive: true);
            return 0;
        }

        var host = await FirestoreEmulator.HostAsync();
        EnsureNodeClient();
        Console.WriteLine();
        Console.WriteLine($"Firestore emulator at {host}; whole processes alternated, {runs} run(s), {Environment.ProcessorCount} cores");
        foreach (var (name, documents, project) in projects.Where(p => p.Name != "svc100000x1"))
        {
            var dll = Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net10.0", name + ".dll");
            var results = new Dictionary<string, List<Measured>>();
            for (var run = 0; run < runs; run++)
            {
                var projectId = FirestoreEmulator.NewProjectId("svc");
                Add(results, "Seeding, first seeding", await TimeAsync(host, "dotnet", [dll, projectId]));
                Add(results, "Seeding, no-op re-run", await TimeAsync(host, "dotnet", [dll, projectId]));
                if (name != "empty")
                {
                    Add(results, "Node batch() after getAll", await TimeAsync(host, "node", [NodePeer(), "batch", FirestoreEmulator.NewProjectId("nodeb"), documents.ToString(CultureInfo.InvariantCulture)]));
                    Add(results, "Node BulkWriter, no throttling", await TimeAsync(host, "node", [NodePeer(), "bulk", FirestoreEmulator.NewProjectId("nodew"), documents.ToString(CultureInfo.InvariantCulture)]));
                }
            }

            Console.WriteLine();
            Console.WriteLine($"{name}: {documents:N0} documents, median of {runs}");
            Console.WriteLine("| what | whole process | peak RSS | registry load | start to first RPC | work |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (what, list) in results)
            {
                var m = list.OrderBy(x => x.Seconds).ElementAt(list.Count / 2);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {what} | {m.Seconds:F2} s | {list.Select(x => x.RssMb).Max():F0} MB | {Ms(m, "registry_ms")} | {Ms(m, "first_rpc_ms")} | {Ms(m, "work_ms")} |"));
            }

            if (results.TryGetValue("Node batch() after getAll", out var batch))
            {
                var seeding = Median(results["Seeding, first seeding"]);
                var fastest = Math.Min(Median(batch), Median(results["Node BulkWriter, no throttling"]));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio (Node's fastest / Seeding, whole process, first seeding): {fastest / seeding:F2}x"));
            }
        }

        if (!args.Contains("--keep"))
        {
            Directory.Delete(Folder, recursive: true);
        }

        return 0;
    }

    private static async Task<(double Seconds, long RssKb)> BuildAsync(string project, string? threshold)
    {
        var m = await WholeProcess.BuildAsync(project, threshold is null ? [] : [$"-p:SeedingCompactThreshold={threshold}"]);
        return (m.Seconds, (long)(m.RssMb * 1024));
    }

    // The Node client must not look for a GCE metadata server; it finds the client the interop tests pin on NODE_PATH.
    private static Task<Measured> TimeAsync(string? emulatorHost, string program, string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["METADATA_SERVER_DETECTION"] = "none",
            ["NODE_PATH"] = Path.Combine(InteropFolder, "node_modules"),
        };
        if (emulatorHost is not null)
        {
            environment["FIRESTORE_EMULATOR_HOST"] = emulatorHost;
        }

        return WholeProcess.TimeAsync(environment, program, arguments);
    }

    private static string InteropFolder => Path.Combine(ServiceProjects.RepositoryRoot, "tests", "Seeding.Firestore.Tests", "interop");

    /// <summary>The Node peers use the official client the interop tests pin; on a fresh clone, install it from the lock file.</summary>
    private static void EnsureNodeClient() => WholeProcess.EnsureNodePackages(InteropFolder);

    private static string NodePeer()
    {
        var path = Path.Combine(Folder, "peer.js");
        File.WriteAllText(path, """
            // A Node peer with the official client: the same documents as the benchmark services' YAML.
            const { Firestore, FieldValue } = require('@google-cloud/firestore');
            const [mode, projectId, count] = process.argv.slice(2);
            const n = Number(count);
            const db = new Firestore({ projectId });
            const items = db.collection('items');
            const doc = i => ({ id: `item-${String(i).padStart(6, '0')}`, n: i, name: `Item ${i}`, email: `user${i}@example.com`,
              active: i % 2 === 0, tags: ['a', 'b', 'c'], address: { city: 'Berlin', zip: String(10000 + (i % 90000)) }, created_at: FieldValue.serverTimestamp() });
            (async () => {
              const started = performance.now();
              if (mode === 'batch') {
                for (let first = 0; first < n; first += 500) {
                  const docs = []; for (let i = first; i < Math.min(n, first + 500); i++) docs.push(doc(i));
                  const refs = docs.map(d => items.doc(d.id));
                  const snaps = await db.getAll(...refs);
                  const batch = db.batch(); let writes = 0;
                  snaps.forEach((s, j) => { if (!s.exists) { batch.create(refs[j], docs[j]); writes++; } });
                  if (writes > 0) await batch.commit();
                }
              } else {
                const writer = db.bulkWriter({ throttling: false });
                writer.onWriteError(e => e.code !== 6 && e.failedAttempts < 5);
                for (let i = 0; i < n; i++) { const d = doc(i); writer.create(items.doc(d.id), d).catch(e => { if (e.code !== 6) throw e; }); }
                await writer.close();
              }
              const work = performance.now() - started;
              await db.terminate();
              console.log(JSON.stringify({ work_ms: Math.round(work) }));
            })().catch(e => { console.error(e); process.exit(1); });
            """);
        return path;
    }
}
