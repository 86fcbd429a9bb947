using System.Text.Json;

namespace Seeding.Cli.Tests;

/// <summary>
/// A service project outside the repository (the Seeding runtime and generator as this test run built them), built once
/// by the first command the real tool runs in its folder, as a newcomer runs it: <c>cd svc &amp;&amp; seeding status</c>.
/// </summary>
public sealed class ServiceProjectFixture : IAsyncLifetime
{
    public ServiceProjectFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "seeding-cli-tests", "project-" + Guid.NewGuid().ToString("N"));
        Service = Write("svc", "Svc", "create: roles\ndocuments:\n  - { id: admin, name: Admin }\n");
    }

    /// <summary>The folder that holds the projects.</summary>
    public string Root { get; }

    /// <summary>The service's folder: Svc.csproj, seeding.yaml, migrations/pre/0001_roles.yaml.</summary>
    public string Service { get; }

    /// <summary><c>seeding status</c> in <see cref="Service"/>, the run that built it.</summary>
    public CliResult FirstRun { get; private set; } = new(-1, string.Empty, string.Empty);

    // No build servers left running after the tests: each build is its own process tree.
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
    };

    public static Task<CliResult> RunToolAsync(string workingDirectory, params string[] args) =>
        DotnetProcess.RunAsync(TestPaths.Tool, workingDirectory, Environment, args);

    /// <summary>Writes a service project <paramref name="folder"/>/<paramref name="name"/>.csproj with one pre-deploy migration.</summary>
    public string Write(string folder, string name, string migration)
    {
        var directory = Path.Combine(Root, folder);
        Directory.CreateDirectory(Path.Combine(directory, "migrations", "pre"));
        var seeding = typeof(Seeding.Definitions.ServiceSeeds).Assembly.Location;
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <Import Project="{TestPaths.RepositoryRoot}src/Seeding/buildTransitive/Seeding.props" />
              <ItemGroup>
                <Reference Include="Seeding" HintPath="{seeding}" />
                <Analyzer Include="{TestPaths.Generator}" />
                <Analyzer Include="{TestPaths.YamlDotNet}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "seeding.yaml"), $"service: {name.ToLowerInvariant()}\n");
        File.WriteAllText(Path.Combine(directory, "migrations", "pre", "0001_roles.yaml"), migration);
        return directory;
    }

    public async Task InitializeAsync() => FirstRun = await RunToolAsync(Service, "status");

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

/// <summary>The tool finds the project, builds it and loads its assembly, as <c>dotnet ef</c> does.</summary>
public sealed class ProjectDiscoveryTests(ServiceProjectFixture project) : IClassFixture<ServiceProjectFixture>, IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Status_in_a_service_folder_builds_the_project_and_shows_its_migrations()
    {
        var run = project.FirstRun;
        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Building Svc.csproj (Debug)...", run.Error);
        Assert.Contains("svc      pre/0001_roles  pending", run.Output);

        // The build's own output is not shown when it succeeds.
        Assert.DoesNotContain("Build succeeded", run.Error + run.Output);
    }

    [Fact]
    public async Task Project_names_the_project_from_another_folder_and_no_build_loads_its_last_build()
    {
        var byFolder = await ServiceProjectFixture.RunToolAsync(project.Root, "status", "--project", "svc", "--no-build", "--output", "json");
        Assert.True(byFolder.ExitCode == ExitCodes.Ok, byFolder.ToString());
        Assert.DoesNotContain("Building", byFolder.Error);
        Assert.Equal("svc", JsonDocument.Parse(byFolder.Output).RootElement.GetProperty("services")[0].GetProperty("service").GetString());

        var byFile = await ServiceProjectFixture.RunToolAsync(project.Root, "plan", "--project", "svc/Svc.csproj", "--no-build", "--store", "memory");
        Assert.True(byFile.ExitCode == ExitCodes.Ok, byFile.ToString());
        Assert.Matches(@"create\s+roles/admin\s+migrations/pre/0001_roles.yaml:3", byFile.Output);
    }

    [Fact]
    public async Task A_seed_file_newer_than_the_build_is_named_under_no_build_and_a_build_picks_it_up()
    {
        File.WriteAllText(Path.Combine(project.Service, "migrations", "pre", "0002_plans.yaml"), "create: plans\ndocuments:\n  - { id: free }\n");

        var stale = await ServiceProjectFixture.RunToolAsync(project.Service, "status", "--no-build");
        Assert.Equal(ExitCodes.Usage, stale.ExitCode);
        Assert.Contains(
            "error: migrations/pre/0002_plans.yaml is newer than bin/Debug/net10.0/Svc.dll, so that build does not have it. " +
            "Build (drop --no-build), or pass --assembly bin/Debug/net10.0/Svc.dll to use that build as it is.",
            stale.Error);

        var built = await ServiceProjectFixture.RunToolAsync(project.Service, "status");
        Assert.True(built.ExitCode == ExitCodes.Ok, built.ToString());
        Assert.Contains("svc      pre/0002_plans  pending", built.Output);
    }

    [Fact]
    public async Task Assembly_wins_over_project()
    {
        var result = await ServiceProjectFixture.RunToolAsync(project.Root, "--assembly", "svc/bin/Debug/net10.0/Svc.dll", "status", "--project", "elsewhere");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("warning: --project elsewhere is not used: --assembly names the service assemblies to load.", result.Error);
        Assert.DoesNotContain("Building", result.Error);
        Assert.Contains("pre/0001_roles", result.Output);
    }

    [Fact]
    public async Task A_failing_build_shows_its_errors_and_exits_1()
    {
        project.Write("broken", "Broken", "create: roles\n");
        var result = await ServiceProjectFixture.RunToolAsync(project.Root, "status", "--project", "broken");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("SEED005", result.Error);
        Assert.Contains("migrations/pre/0001_roles.yaml", result.Error);
        Assert.Contains("error: The build of broken/Broken.csproj failed (dotnet build exited with 1); its errors are above. Fix them and run the command again.", result.Error);
    }

    [Fact]
    public async Task No_project_or_several_are_usage_errors_that_say_what_to_pass()
    {
        var none = await _workspace.RunAsync([], "status");
        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains(
            "error: The current folder has no .csproj, so there is no service to load. Run the command in the service project's folder, " +
            "or pass --project path/to/MyService.csproj (or --assembly path/to/MyService.dll for a build of your own).",
            none.Error);

        File.WriteAllText(Path.Combine(_workspace.Directory, "B.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(_workspace.Directory, "A.csproj"), "<Project />");
        var several = await _workspace.RunAsync([], "migrate");
        Assert.Equal(ExitCodes.Usage, several.ExitCode);
        Assert.Contains("error: The current folder has several projects: A.csproj, B.csproj. Pass the one to use: --project A.csproj.", several.Error);

        var notAProject = await _workspace.RunAsync([], "verify", "--project", "my-gcp-project");
        Assert.Equal(ExitCodes.Usage, notAProject.ExitCode);
        Assert.Contains("--project 'my-gcp-project' is neither a project file nor a folder", notAProject.Error);
        Assert.Contains("the Firestore project id is --firestore-project", notAProject.Error);
    }

    [Fact]
    public async Task Every_command_that_loads_services_takes_the_project_options()
    {
        foreach (var command in new[] { "migrate", "plan", "status", "verify", "revert", "lock", "indexes" })
        {
            var help = await _workspace.RunAsync([], command, "--help");
            Assert.True(help.ExitCode == ExitCodes.Ok, help.ToString());
            foreach (var option in new[] { "--project", "--no-build", "--configuration", "--framework", "--verbose", "--assembly" })
            {
                Assert.Contains(option, help.Output);
            }
        }
    }
}
