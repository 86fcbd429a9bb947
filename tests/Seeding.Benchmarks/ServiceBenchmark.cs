using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Seeding.Firestore.Tests;

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
        string[] extra = threshold is null ? [] : [$"-p:SeedingCompactThreshold={threshold}"];
        var m = await TimeAsync(null, "dotnet", ["build", project, "-c", "Release", "-m:1", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:q", "-nologo", .. extra]);
        return (m.Seconds, (long)(m.RssMb * 1024));
    }

    // Wall time and peak RSS (of the largest process in the tree: GNU time's %M) of a child process.
    private static async Task<Measured> TimeAsync(string? emulatorHost, string program, string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", "TIME %e %M", program }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        if (emulatorHost is not null)
        {
            start.Environment["FIRESTORE_EMULATOR_HOST"] = emulatorHost;
        }

        start.Environment["METADATA_SERVER_DETECTION"] = "none"; // the Node client must not look for a GCE metadata server
        start.Environment["NODE_PATH"] = Path.Combine(InteropFolder, "node_modules");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (stdout, stderr) = (await output, await error);
        var time = stderr.Split('\n').LastOrDefault(l => l.StartsWith("TIME ", StringComparison.Ordinal))?.Split(' ');
        if (process.ExitCode != 0 || time is null)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{stdout}\n{stderr}");
        }

        foreach (var line in stderr.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("TIME ", StringComparison.Ordinal)).Take(5))
        {
            Console.WriteLine("    " + line);
        }

        var json = stdout.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        var details = json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, double>>(json)!;
        return new Measured(double.Parse(time[1], CultureInfo.InvariantCulture), long.Parse(time[2], CultureInfo.InvariantCulture) / 1024.0, details);
    }

    private static string InteropFolder => Path.Combine(ServiceProjects.RepositoryRoot, "tests", "Seeding.Firestore.Tests", "interop");

    /// <summary>The Node peers use the official client the interop tests pin; on a fresh clone, install it from the lock file.</summary>
    private static void EnsureNodeClient()
    {
        if (File.Exists(Path.Combine(InteropFolder, "node_modules", "@google-cloud", "firestore", "package.json")))
        {
            return;
        }

        var install = new ProcessStartInfo("npm") { WorkingDirectory = InteropFolder };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            install.ArgumentList.Add(argument);
        }

        using var process = Process.Start(install)!;
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'npm ci' in {InteropFolder} failed; the Node peers need @google-cloud/firestore from its package-lock.json.");
        }
    }

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

    private static string Ms(Measured m, string key) => m.Details.TryGetValue(key, out var value) ? string.Create(CultureInfo.InvariantCulture, $"{value:N0} ms") : "-";

    private static double Median(List<Measured> list) => list.Select(m => m.Seconds).Order().ElementAt(list.Count / 2);

    private static void Add(Dictionary<string, List<Measured>> results, string what, Measured measured)
    {
        if (!results.TryGetValue(what, out var list))
        {
            results[what] = list = [];
        }

        list.Add(measured);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {measured.Seconds:F2} s, {measured.RssMb:F0} MB"));
    }

    private static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private sealed record Measured(double Seconds, double RssMb, Dictionary<string, double> Details);
}
