using System.Globalization;
using System.Text;

namespace Seeding.Benchmarks;

/// <summary>
/// Writes throwaway service projects the way a team has them: YAML migrations of N documents of ~8 fields (strings,
/// an int, a bool, a nested map, an array, <c>!now</c>), the Seeding runtime and generator, and a Program that runs
/// the pre-deploy migrations against the Firestore emulator and prints where its time went.
/// </summary>
internal static class ServiceProjects
{
    /// <summary>The repository root (holds Seeding.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Creates <paramref name="name"/> under <paramref name="folder"/>: <paramref name="files"/> files of <paramref name="perFile"/> documents each.</summary>
    public static string Create(string folder, string name, int files, int perFile)
    {
        var project = WriteProject(folder, name, ["Seeding.Firestore"], Program);
        for (var file = 0; file < files; file++)
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(project)!, "migrations", "pre", $"{file + 1:D4}_items_{file + 1}.yaml"), Yaml(file * perFile, perFile));
        }

        return project;
    }

    /// <summary>
    /// Writes a service project <paramref name="name"/> (its .csproj, <paramref name="program"/> as Program.cs,
    /// seeding.yaml and an empty migrations/pre) that references <paramref name="runtimes"/> (projects under src/) and
    /// the generator the way a service does; returns the .csproj's path.
    /// </summary>
    public static string WriteProject(string folder, string name, IEnumerable<string> runtimes, string program)
    {
        var project = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.Combine(project, "migrations", "pre"));
        var src = Path.Combine(RepositoryRoot, "src");
        var references = string.Concat(runtimes.Select(r => $"""

                <ProjectReference Include="{src}/{r}/{r}.csproj" />
            """));
        File.WriteAllText(Path.Combine(project, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RootNamespace>Bench</RootNamespace>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <Import Project="{src}/Seeding/buildTransitive/Seeding.props" />
              <ItemGroup>{references}
                <ProjectReference Include="{Path.Combine(RepositoryRoot, "generators", "Seeding.Generators", "Seeding.Generators.csproj")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), program);
        File.WriteAllText(Path.Combine(project, "seeding.yaml"), "service: bench\n");
        return Path.Combine(project, name + ".csproj");
    }

    /// <summary>Documents <paramref name="first"/>.. of the benchmark collection, as YAML.</summary>
    public static string Yaml(int first, int count)
    {
        var yaml = new StringBuilder(count * 200);
        yaml.Append("description: benchmark items\ncreate: items\ndefaults:\n  created_at: !now\ndocuments:\n");
        for (var i = first; i < first + count; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ id: item-{i:D6}, n: {i}, name: Item {i}, email: user{i}@example.com, active: {(i % 2 == 0 ? "true" : "false")}, tags: [a, b, c], address: {{ city: Berlin, zip: \"{10000 + (i % 90000)}\" }} }}\n");
        }

        return yaml.ToString();
    }

    // The service's entry point: time from process start to the registry loaded and to the first RPC (the runner's
    // first read), the work itself, documents created, the process's peak RSS. One JSON line.
    private const string Program = """
        using System.Diagnostics;
        using Seeding.Firestore;
        using Seeding.Running;

        var process = Process.GetCurrentProcess();
        double SinceStart() => (DateTime.Now - process.StartTime).TotalMilliseconds;
        var service = Bench.Seeds.SeedingRegistry.Service;
        var registry = SinceStart();
        await using var store = new FirestoreDocumentStore(new FirestoreStoreOptions { ProjectId = args[0], EmulatorHost = Environment.GetEnvironmentVariable("FIRESTORE_EMULATOR_HOST"), Logger = new StderrLogger() });
        var runner = new SeedRunner(store, options: new SeedRunnerOptions { LockTtl = TimeSpan.FromMinutes(10), Capabilities = new Seeding.Store.StoreCapabilities { Indexes = store, RetryCounter = store, WriteRamp = store, ConcurrentWrites = store } });
        var firstRpc = SinceStart();
        var clock = Stopwatch.StartNew();
        var report = await runner.RunAsync(service, RunRequest.PreDeploy());
        var work = clock.Elapsed.TotalMilliseconds;
        process.Refresh();
        Console.WriteLine(FormattableString.Invariant($"{{\"registry_ms\":{registry:F0},\"first_rpc_ms\":{firstRpc:F0},\"work_ms\":{work:F0},\"created\":{report.Created},\"peak_rss_mb\":{process.PeakWorkingSet64 / 1048576.0:F0}}}"));

        // Retries and other warnings go to stderr, so a slow run shows why.
        sealed class StderrLogger : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel level) => level >= Microsoft.Extensions.Logging.LogLevel.Warning;
            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel level, Microsoft.Extensions.Logging.EventId id, TState state, Exception? error, Func<TState, Exception?, string> format) =>
                Console.Error.WriteLine($"{level}: {format(state, error)}");
        }
        """;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Seeding.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from the repository (Seeding.sln not found above it).");
    }
}
