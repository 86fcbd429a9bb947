using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using Seeding.PubSub.Tests;
using Xunit.Abstractions;

namespace Seeding.Packaging.Tests;

/// <summary>
/// What a service team does with the packages, outside this repository: every package packed with a unique
/// prerelease version into a folder feed; a `dotnet new web` service; the package added from the feed (restored
/// into a temporary NuGet packages folder, so the user's cache never sees these versions); `seeding init` from the
/// tool installed from the feed; a migration and a bootstrap seed; a build whose generator runs from the package (a
/// deliberately bad file is a SEED error with its absolute help link); two starts (the second writes nothing), the
/// first creating the service's Pub/Sub topic and subscription on Google's emulator; `seeding --assembly ... status`
/// on the same database; and the service's index file from the tool.
/// </summary>
public sealed class TeamAdoptsSeedingTests(ITestOutputHelper log) : IDisposable
{
    /// <summary>Every package the repository ships, by project.</summary>
    public static readonly string[] PackageProjects =
    [
        "src/Seeding/Seeding.csproj",
        "src/Seeding.Sqlite/Seeding.Sqlite.csproj",
        "src/Seeding.Firestore/Seeding.Firestore.csproj",
        "src/Seeding.PubSub/Seeding.PubSub.csproj",
        "src/Seeding.Hosting/Seeding.Hosting.csproj",
        "src/Seeding.Cli/Seeding.Cli.csproj",
        "src/Seeding.Cli/Tool/Seeding.Cli.Tool.csproj",
    ];

    /// <summary>The package ids, one per project (the project file's name).</summary>
    public static IEnumerable<string> PackageIds => PackageProjects.Select(Path.GetFileNameWithoutExtension)!;

    private static readonly TimeSpan Short = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(240);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "seeding-packaging-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _version = "0.1.0-ci." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;
    private readonly List<(string Step, TimeSpan Duration)> _timings = [];

    private string Feed => Path.Combine(_root, "feed");

    private string Packages => Path.Combine(_root, "nuget-packages");

    private string Tools => Path.Combine(_root, "tools");

    private string App => Path.Combine(_root, "Orders");

    private string Seeding => Path.Combine(Tools, "seeding");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [Fact]
    public async Task A_service_adopts_seeding_from_the_packages()
    {
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(_root);
        Isolate();

        // 1. Pack every package, from the build this test run already made (the project references these projects),
        //    with a unique prerelease version; nothing but the packages leaves the repository's bin folders.
        await Step("pack", Dotnet(_root, Long, ["pack", WritePackageSolution(), "--no-build", "-c", RepositoryInfo.Configuration, "-o", Feed,
            $"-p:Version={_version}", $"-p:NuspecOutputPath={Path.Combine(_root, "nuspec")}/", "-nodeReuse:false"]));
        var packed = Directory.EnumerateFiles(Feed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        foreach (var id in PackageIds)
        {
            Assert.Contains($"{id}.{_version}.nupkg", packed);
            Assert.Contains($"{id}.{_version}.snupkg", packed);
        }

        Assert.Equal(PackageProjects.Length * 2, packed.Length); // a .nupkg and a .snupkg each, nothing else
        AssertPackageContents();

        // 2. A new web service, outside the repository, with the one package line `seeding init` asks for.
        await Step("dotnet new web", Dotnet(_root, Short, ["new", "web", "-n", "Orders", "-o", App, "--no-restore", "--no-update-check"]));
        await Step("dotnet add package", Dotnet(App, Long, ["add", "package", "Seeding.Hosting", "--version", _version]));
        Assert.True(Directory.Exists(Path.Combine(Packages, "seeding.hosting", _version)), "the package was not restored into the temporary packages folder");
        Assert.True(Directory.Exists(Path.Combine(Packages, "seeding", _version, "analyzers", "dotnet", "cs")), "Seeding came without its generator");

        // 3. The tool from the feed, into a tool path; `seeding init` in the project's folder.
        await Step("dotnet tool install", Dotnet(_root, Long, ["tool", "install", "Seeding.Cli.Tool", "--version", _version, "--tool-path", Tools, "--add-source", Feed]));
        var init = await Step("seeding init", Run(Seeding, App, Short, ["init"]));
        Assert.Contains("service 'orders'", init.Output);
        Assert.Contains("builder.Services.AddSeeding();", init.Output);
        Assert.DoesNotContain("dotnet add package", init.Output); // the project already references Seeding.Hosting
        var settings = File.ReadAllText(Path.Combine(App, "seeding.yaml"));
        // Editors read the schema copies init puts in the service, offline.
        Assert.StartsWith("# yaml-language-server: $schema=.seeding/schema/seeding.schema.json\n", settings);
        Assert.True(File.Exists(Path.Combine(App, ".seeding", "schema", "seed-file.schema.json")), init.ToString());
        Assert.Contains("service: orders\n", settings);
        var again = await Run(Seeding, App, Short, ["init"]);
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("seeding.yaml, migrations/, bootstrap/ exist", again.Output);
        Assert.Contains("Nothing was written", again.Output);

        // 4. The two lines of code, a migration and a bootstrap seed.
        var program = File.ReadAllText(Path.Combine(App, "Program.cs"));
        program = "using Seeding.Hosting;\n" + program
            .Replace("var app = builder.Build();", "builder.Services.AddSeeding();\nvar app = builder.Build();\n" +
                "// The test starts the service and stops it once it is up (seeding runs before it serves).\n" +
                "app.Lifetime.ApplicationStarted.Register(app.Lifetime.StopApplication);", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(App, "Program.cs"), program);
        var firstMigration = Path.Combine(App, "migrations", "pre", "0001_initial_data.yaml");
        File.WriteAllText(firstMigration, File.ReadAllLines(firstMigration)[0] + "\n" + """
            description: Default roles
            create: roles
            defaults:
              created_at: !now
            documents:
              - { id: admin, name: Admin, level: 0 }
              - { id: user, name: User, level: 10 }

            """);
        File.WriteAllText(Path.Combine(App, "migrations", "pre", "0002_order_events.yaml"), """
            description: Order events and the index the order list needs
            steps:
              - topic: order-events
                labels: { team: orders }
                message_retention: 1d
              - subscription: order-mailer
                topic: order-events
                ack_deadline: 30s
              - index: orders
                fields:
                  - customer_id: ascending
                  - placed_at: descending

            """);
        File.WriteAllText(Path.Combine(App, "bootstrap", "system_user.yaml"), """
            description: The system user
            create: users
            documents:
              - { id: system, name: System, role: !ref roles/admin }

            """);

        // 5. Build: the generator runs from the package.
        var build = await Step("build", Dotnet(App, Long, ["build", "-nodeReuse:false"]));
        Assert.Contains("0 Warning(s)", build.Output);
        var dll = Path.Combine(App, "bin", "Debug", "net10.0", "Orders.dll");
        Assert.True(File.Exists(dll), build.ToString());

        // 6. A deliberately bad file: a SEED error at its line, with the absolute help link (from the SARIF log).
        var bad = Path.Combine(App, "migrations", "pre", "0002_broken.yaml");
        File.WriteAllText(bad, "description: No documents\ncreate: roles\n");
        var sarif = Path.Combine(_root, "build.sarif");
        var failed = await Step("build (bad file)", Run(Processes.Dotnet, App, Long, ["build", "-nodeReuse:false", $"-p:ErrorLog={sarif}%2Cversion=2.1"]), expectSuccess: false);
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("0002_broken.yaml(1,1): error SEED005", failed.Output);
        // The help link is built from the repository property; while it is empty there is no link at all.
        if (RepositoryInfo.RepositoryUrl.Length > 0)
        {
            Assert.Contains($"{RepositoryInfo.RepositoryUrl}/blob/main/docs/diagnostics.md#seed005", File.ReadAllText(sarif));
        }
        else
        {
            Assert.DoesNotContain("diagnostics.md#seed005", File.ReadAllText(sarif));
        }
        File.Delete(bad);

        // 7. Start twice: the first start seeds (its topic and subscription on the Pub/Sub emulator; the index has no
        //    target on SQLite and says so), the second writes nothing.
        var pubSubProject = PubSubEmulator.NewProjectId("orders");
        var pubSub = new Dictionary<string, string?> { ["PUBSUB_EMULATOR_HOST"] = await PubSubEmulator.HostAsync(), ["PUBSUB_PROJECT_ID"] = pubSubProject };
        var database = Path.Combine(App, ".seeding", "seeding.db");
        var first = await Step("start (first)", StartApp(dll, pubSub));
        Assert.True(File.Exists(database), $"no database at {database}\n{first}");
        var afterFirst = Dump(database);
        Assert.Contains("collection=roles | id=admin |", afterFirst);
        Assert.Contains("collection=users | id=system |", afterFirst);
        using (var admin = await PubSubEmulator.AdminAsync(pubSubProject))
        {
            var topic = await admin.GetTopicAsync("order-events");
            Assert.True(topic is not null, $"the first start did not create the topic\n{first}");
            Assert.Equal("orders", topic.Labels["team"]);
            Assert.Equal(TimeSpan.FromDays(1), topic.MessageRetention);
            var subscription = await admin.GetSubscriptionAsync("order-mailer");
            Assert.Equal(("order-events", TimeSpan.FromSeconds(30)), (subscription?.Topic, subscription?.AckDeadline));
        }

        Assert.Contains("has no Firestore indexes to manage", first.Output);
        await Step("start (second)", StartApp(dll, pubSub));
        Assert.Equal(afterFirst, Dump(database));

        // 8. The tool reads the same database through the service's assembly.
        var status = await Step("seeding status", Run(Seeding, App, Short, ["--assembly", dll, "--output", "json", "status"]));
        using (var json = JsonDocument.Parse(status.Output))
        {
            var service = Assert.Single(json.RootElement.GetProperty("services").EnumerateArray());
            Assert.Equal("orders", service.GetProperty("service").GetString());
            var migrations = service.GetProperty("migrations").EnumerateArray().ToArray();
            Assert.Equal(["0001_initial_data", "0002_order_events"], migrations.Select(m => m.GetProperty("id").GetString()));
            Assert.All(migrations, m => Assert.True(m.GetProperty("state").GetString() == "applied", status.ToString()));
            Assert.Equal("system_user", Assert.Single(service.GetProperty("bootstrap").EnumerateArray()).GetProperty("id").GetString());
        }

        // 9. The index file the Firebase CLI deploys, from the tool and the service's assembly.
        var indexes = await Step("seeding indexes", Run(Seeding, App, Short, ["--assembly", dll, "indexes", "--file", "-"]));
        using (var file = JsonDocument.Parse(indexes.Output))
        {
            var index = Assert.Single(file.RootElement.GetProperty("indexes").EnumerateArray());
            Assert.Equal("orders", index.GetProperty("collectionGroup").GetString());
            Assert.Equal(
                [("customer_id", "ASCENDING"), ("placed_at", "DESCENDING")],
                index.GetProperty("fields").EnumerateArray().Select(f => (f.GetProperty("fieldPath").GetString(), f.GetProperty("order").GetString())));
        }

        total.Stop();
        log.WriteLine($"total {total.Elapsed.TotalSeconds:F1} s: " + string.Join(", ", _timings.Select(t => $"{t.Step} {t.Duration.TotalSeconds:F1} s")));
    }

    /// <summary>What a gallery and a consumer see in each package: metadata, readme, and the Seeding package's layout.</summary>
    private void AssertPackageContents()
    {
        foreach (var id in PackageIds)
        {
            using var package = ZipFile.OpenRead(Path.Combine(Feed, $"{id}.{_version}.nupkg"));
            var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open()).Root!;
            string? Meta(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            var repository = nuspec.Descendants().SingleOrDefault(e => e.Name.LocalName == "repository");
            var repositoryUrl = RepositoryInfo.RepositoryUrl.Length > 0 ? RepositoryInfo.RepositoryUrl : null;
            Assert.Equal("MIT", Meta("license"));
            Assert.Equal("README.md", Meta("readme"));
            Assert.Contains("README.md", entries);
            // Only a real repository is named (SeedingRepositoryUrl, empty until there is one).
            Assert.Equal(repositoryUrl, repository?.Attribute("url")?.Value);
            Assert.Equal(repositoryUrl, Meta("projectUrl"));
            Assert.False(string.IsNullOrWhiteSpace(Meta("description")), id);
            Assert.Contains("seeding", Meta("tags") ?? string.Empty);
            if (id == "Seeding")
            {
                foreach (var expected in new[]
                {
                    "lib/net10.0/Seeding.dll", "analyzers/dotnet/cs/Seeding.Generators.dll", "analyzers/dotnet/cs/YamlDotNet.dll",
                    "build/Seeding.props", "buildTransitive/Seeding.props", "schema/seed-file.schema.json", "schema/seeding.schema.json",
                })
                {
                    Assert.True(entries.Contains(expected), $"{id} lacks {expected}: {string.Join(", ", entries.Order())}");
                }
            }

            if (id == "Seeding.Hosting")
            {
                // The one package a service adds brings both stores and the Pub/Sub target.
                var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")?.Value).ToHashSet();
                Assert.Superset(new HashSet<string?> { "Seeding", "Seeding.Sqlite", "Seeding.Firestore", "Seeding.PubSub" }, dependencies);
            }

            if (id == "Seeding.Cli.Tool")
            {
                // The tool's own symbols only: no .pdb (or .xml) of the libraries it carries.
                Assert.Equal(["tools/net10.0/any/Seeding.Cli.Tool.pdb"], entries.Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)).ToArray());
                Assert.DoesNotContain(entries, e => e.StartsWith("tools/", StringComparison.Ordinal) && e.EndsWith(".xml", StringComparison.Ordinal) && !e.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>
    /// NuGet and MSBuild settings of the temporary folder: the feed first, the machine's configured sources for
    /// third-party packages, a temporary global packages folder (the machine's own one only read, as a fallback),
    /// and empty Directory.Build files so nothing above the folder leaks into the builds.
    /// </summary>
    private void Isolate()
    {
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Directory.CreateDirectory(Feed);
        var fallback = Directory.Exists(machinePackages)
            ? $"""  <fallbackPackageFolders><add key="machine" value="{machinePackages}" /></fallbackPackageFolders>"""
            : string.Empty;
        File.WriteAllText(Path.Combine(_root, "NuGet.Config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="seeding-feed" value="{Feed}" />
              </packageSources>
            {fallback}
            </configuration>
            """);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(_root, file), "<Project />\n");
        }
    }

    /// <summary>A solution of the package projects (and the generator the Seeding package carries), in the temporary folder.</summary>
    private string WritePackageSolution()
    {
        var solution = new StringBuilder("<Solution>\n");
        foreach (var project in PackageProjects.Prepend("generators/Seeding.Generators/Seeding.Generators.csproj"))
        {
            var path = Path.GetRelativePath(_root, Path.Combine(RepositoryInfo.Root, project)).Replace('\\', '/');
            solution.Append("  <Project Path=\"").Append(path).Append("\" />\n");
        }

        var file = Path.Combine(_root, "packages.slnx");
        File.WriteAllText(file, solution.Append("</Solution>\n").ToString());
        return file;
    }

    private Task<ProcessResult> StartApp(string dll, IReadOnlyDictionary<string, string?> extra)
    {
        var environment = new Dictionary<string, string?>(extra)
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Seeding__ApplyPreDeployMigrations"] = "true",
        };
        return Run(Processes.Dotnet, App, Short, [dll], environment);
    }

    private Task<ProcessResult> Dotnet(string directory, TimeSpan timeout, string[] arguments) => Run(Processes.Dotnet, directory, timeout, arguments);

    private Task<ProcessResult> Run(string fileName, string directory, TimeSpan timeout, string[] arguments, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = Packages,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_ROOT"] = Path.GetDirectoryName(Processes.Dotnet) is { Length: > 0 } root ? root : null,
            // No compiler or MSBuild servers left running after the test.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["UseSharedCompilation"] = "false",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            // The test host's MSBuild settings must not steer the builds it starts.
            ["MSBuildSDKsPath"] = null,
            ["MSBuildExtensionsPath"] = null,
            ["MSBUILD_EXE_PATH"] = null,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return Processes.RunAsync(fileName, arguments, directory, environment, timeout);
    }

    private async Task<ProcessResult> Step(string name, Task<ProcessResult> running, bool expectSuccess = true)
    {
        var result = await running;
        _timings.Add((name, result.Duration));
        log.WriteLine($"{name}: {result.Duration.TotalSeconds:F1} s, exit code {result.ExitCode}");
        if (expectSuccess)
        {
            Assert.True(result.ExitCode == 0, $"step '{name}' failed:\n{result}");
        }

        return result;
    }

    /// <summary>Every row of every table, in a stable order: equal dumps mean the database was not written.</summary>
    private static string Dump(string database)
    {
        var text = new StringBuilder();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            text.Append("## ").Append(table).Append('\n');
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"")}\"";
            using var reader = select.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    row.Append(reader.GetName(i)).Append('=').Append(value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append(" | ");
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            text.AppendJoin('\n', rows).Append('\n');
        }

        return text.ToString();
    }
}
