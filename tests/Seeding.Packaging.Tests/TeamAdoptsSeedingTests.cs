using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Seeding.Packaging.Tests;

/// <summary>
/// What a service team does with the packages, outside this repository: every package packed with a unique
/// prerelease version into a folder feed; a `dotnet new web` service; the package added from the feed (restored
/// into a temporary NuGet packages folder, so the user's cache never sees these versions); `seeding init` from the
/// tool installed from the feed; a migration and a bootstrap seed; a build whose generator runs from the package (a
/// deliberately bad file is a SEED error with its absolute help link); then the README's first day, step by step
/// (TeamAdoptsSeedingTests.FirstDay.cs); and the service's index file from the tool.
/// </summary>
public sealed partial class TeamAdoptsSeedingTests(ITestOutputHelper log) : IDisposable
{
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

    private string ServiceDll => Path.Combine(App, "bin", "Debug", "net10.0", "Orders.dll");

    private string Database => Path.Combine(App, ".seeding", "seeding.db");

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

        // 1. Every package, into the folder feed.
        await PackAsync();

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
        WriteProgramAndSeeds();

        // 5. Build: the generator runs from the package. Its one warning: the system user's !ref to a role only the
        //    pending migration creates (SEED048); the first day applies that migration in step 3.
        var build = await Step("build", Dotnet(App, Long, ["build", "-nodeReuse:false"]));
        Assert.Contains("warning SEED048: !ref 'roles/admin' in a bootstrap file points to a document only the migration migrations/pre/0001_initial_data.yaml creates, and seeding.lock.json does not lock that migration as applied.", build.Output);
        Assert.Equal(["SEED048"], Regex.Matches(build.Output, @"warning ([A-Z]+[0-9]+)").Select(m => m.Groups[1].Value).Distinct());
        Assert.True(File.Exists(ServiceDll), build.ToString());

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

        // 7. The README's first day: start, apply, look, edit and accept.
        await FirstDayAsync();

        // 8. The index file the Firebase CLI deploys, from the tool in the service's folder.
        var indexes = await Step("seeding indexes", SeedingInService(["indexes", "--file", "-"]));
        using (var file = JsonDocument.Parse(indexes.StandardOutput))
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

    /// <summary>
    /// Packs every package, from the build this test run already made (the project references these projects), with a
    /// unique prerelease version; nothing but the packages leaves the repository's bin folders.
    /// </summary>
    private async Task PackAsync()
    {
        await Step("pack", Dotnet(_root, Long, ["pack", ShippedPackages.WriteSolution(_root), "--no-build", "-c", RepositoryInfo.Configuration, "-o", Feed,
            $"-p:Version={_version}", $"-p:NuspecOutputPath={Path.Combine(_root, "nuspec")}/", "-nodeReuse:false"]));
        var packed = Directory.EnumerateFiles(Feed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        foreach (var id in ShippedPackages.PackageIds)
        {
            Assert.Contains($"{id}.{_version}.nupkg", packed);
            Assert.Contains($"{id}.{_version}.snupkg", packed);
        }

        Assert.Equal(ShippedPackages.PackageProjects.Length * 2, packed.Length); // a .nupkg and a .snupkg each, nothing else
        ShippedPackages.AssertContents(Feed, _version);
    }

    /// <summary>`using Seeding.Hosting;` and `AddSeeding()` in the template's Program.cs; the roles migration, an order-events migration and the system user.</summary>
    private void WriteProgramAndSeeds()
    {
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
    }
}
