using System.Globalization;
using Seeding.TestSupport;
using static Seeding.Benchmarks.WholeProcess;

namespace Seeding.Benchmarks;

/// <summary>
/// Reading live state as whole processes on the Firestore emulator, each beside the Node peer a team would otherwise
/// write with the official client, alternated in one run:
/// <list type="bullet">
/// <item><c>diff</c>: a service of N declared documents (files of 5,000) is migrated, then <c>seeding diff --all
/// --detailed-exitcode</c> (text, then <c>--output json</c>) must exit 0, against a Node peer that parses the same YAML
/// (js-yaml), reads the documents with <c>getAll</c> in chunks of 1,000 and compares every declared field.</item>
/// <item><c>pull</c>: the same N documents pulled back into seed files (<c>seeding pull items</c>, text and
/// <c>--output json</c>), against a Node peer that streams the collection (<c>collection.stream()</c>) into JSON lines.</item>
/// </list>
/// The service hosts the command line as a team's does (<c>SeedingCommandLine.RunConsoleAsync</c> over its registry),
/// built once with <c>dotnet build -c Release</c>. Options: --sizes 10000,100000 --runs 3 --keep --load migrate|batch.
/// <c>--load batch</c> (pull only: 1,000,000 documents as a declared service would take long to build and migrate) loads
/// <c>items</c> with the runtime's batched writes instead (<see cref="BackfillData.LoadAsync"/>: the same fields and a
/// <c>status</c>), into a fresh project per run, and the command line is hosted by a service that declares one document.
/// </summary>
internal static class LiveStateBenchmark
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "seeding-bench-live");

    private const string Program = """
        return await Seeding.Cli.SeedingCommandLine.RunConsoleAsync(args, [Bench.Seeds.SeedingRegistry.Service]);
        """;

    public static async Task<int> RunAsync(string part, string[] args)
    {
        var sizes = (Value(args, "--sizes") ?? "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(Value(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var batchLoad = (Value(args, "--load") ?? "migrate") switch
        {
            "migrate" => false,
            "batch" when part == "pull" => true,
            var other => throw new ArgumentException($"--load {other}: use migrate (a service declaring the documents, then migrate --all), or batch (pull only)"),
        };
        var host = await FirestoreEmulator.HostAsync();
        EmulatorCpu.Host = host;
        EnsureNodePackages(InteropFolder);
        EnsureNodePackages(PeersFolder);
        Console.WriteLine($"{part}: Firestore emulator at {host}; whole processes alternated, {runs} run(s), {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var size in sizes)
        {
            var name = batchLoad ? "livehost" : $"live{size}";
            var project = ServiceProjects.WriteProject(Folder, name, ["Seeding.Cli"], Program);
            var directory = Path.GetDirectoryName(project)!;
            var files = batchLoad ? 1 : Math.Max(1, size / 5000);
            for (var file = 0; file < files; file++)
            {
                File.WriteAllText(Path.Combine(directory, "migrations", "pre", $"{file + 1:D4}_items_{file + 1}.yaml"), ServiceProjects.Yaml(file * (size / files), batchLoad ? 1 : size / files));
            }

            var build = await BuildAsync(project);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {(batchLoad ? "1 declared document (items loaded by batched writes)" : $"{size:N0} documents in {files} file(s)")}; dotnet build -c Release {build.Seconds:F1} s, {build.RssMb:F0} MB"));
            var dll = Path.Combine(directory, "bin", "Release", "net10.0", name + ".dll");
            var results = new Dictionary<string, List<Measured>>();
            for (var run = 0; run < runs; run++)
            {
                var projectId = FirestoreEmulator.NewProjectId("live");
                var environment = EnvironmentFor(host, projectId);
                if (batchLoad)
                {
                    var load = await BackfillData.LoadAsync(projectId, size);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loaded {size:N0} documents in {load.TotalSeconds:F1} s"));
                }
                else
                {
                    await TimeAsync(environment, "dotnet", [dll, "migrate", "--all"]);
                }

                if (part == "diff")
                {
                    Add(results, "seeding diff --detailed-exitcode", await TimeAsync(environment, "dotnet", [dll, "diff", "--all", "--detailed-exitcode"]));
                    Add(results, "seeding diff --detailed-exitcode --output json", await TimeAsync(environment, "dotnet", [dll, "diff", "--all", "--detailed-exitcode", "--output", "json"]));
                    Add(results, "Node getAll (1,000) + compare with the YAML", await TimeAsync(environment, "node", [Path.Combine(PeersFolder, "diff-peer.js"), projectId, Path.Combine(directory, "migrations", "pre")]));
                }
                else
                {
                    Add(results, "seeding pull items", await PullAsync(environment, dll, directory, json: false));
                    Add(results, "seeding pull items --output json", await PullAsync(environment, dll, directory, json: true));
                    var output = Path.Combine(Folder, "peer-pull.jsonl");
                    Add(results, "Node collection.stream() to JSON lines", await TimeAsync(environment, "node", [Path.Combine(PeersFolder, "pull-peer.js"), projectId, "items", output]));
                    File.Delete(output);
                }

                if (batchLoad)
                {
                    await BackfillData.ClearAsync(host, projectId); // the emulator keeps every project in memory
                }
            }

            Console.WriteLine();
            Console.WriteLine($"{part}, {size:N0} documents, median of {runs} (range min-max)");
            Header("what");
            foreach (var (what, list) in results)
            {
                Row(what, list);
            }

            var peer = results.First(r => r.Key.StartsWith("Node", StringComparison.Ordinal)).Value;
            var ours = results.First().Value;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio (Node peer / Seeding text, whole process): {Median(peer) / Median(ours):F2}x"));
            Console.WriteLine();
        }

        if (!args.Contains("--keep"))
        {
            Directory.Delete(Folder, recursive: true);
        }

        return 0;
    }

    // Each pull writes a new migration into a fresh folder (a pull never overwrites a file); the folder goes afterwards.
    private static async Task<Measured> PullAsync(Dictionary<string, string> environment, string dll, string directory, bool json)
    {
        var into = Path.Combine(Folder, "pulled");
        Directory.CreateDirectory(Path.Combine(into, "migrations", "pre"));
        File.WriteAllText(Path.Combine(into, "seeding.yaml"), "service: bench\n");
        try
        {
            string[] arguments = [dll, "pull", "items", "--service-dir", into, .. json ? new[] { "--output", "json" } : []];
            return await TimeAsync(environment, "dotnet", arguments);
        }
        finally
        {
            Directory.Delete(into, recursive: true);
        }
    }

    private static Dictionary<string, string> EnvironmentFor(string host, string projectId) => new()
    {
        ["FIRESTORE_EMULATOR_HOST"] = host,
        ["FIRESTORE_PROJECT_ID"] = projectId,
        ["METADATA_SERVER_DETECTION"] = "none",
        ["NODE_PATH"] = Path.Combine(InteropFolder, "node_modules") + ":" + Path.Combine(PeersFolder, "node_modules"),
    };

    private static string InteropFolder => Path.Combine(ServiceProjects.RepositoryRoot, "tests", "Seeding.Firestore.Tests", "interop");

    private static string PeersFolder => Path.Combine(ServiceProjects.RepositoryRoot, "tests", "Seeding.Benchmarks", "peers");
}
