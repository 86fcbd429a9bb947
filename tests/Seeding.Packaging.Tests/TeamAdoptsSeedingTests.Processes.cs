namespace Seeding.Packaging.Tests;

/// <summary>The processes the team runs (dotnet, the installed tool, the service), isolated in the temporary folder.</summary>
public sealed partial class TeamAdoptsSeedingTests
{
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

    /// <summary>
    /// Starts the built service as `dotnet run` would (the test's Program.cs stops it once it is up, after seeding),
    /// on a free loopback port, with the default phases unless <paramref name="extra"/> sets some.
    /// </summary>
    private Task<ProcessResult> StartApp(string dll, IReadOnlyDictionary<string, string?> extra)
    {
        var environment = new Dictionary<string, string?>(extra)
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        return Run(Processes.Dotnet, App, Short, [dll], environment);
    }

    /// <summary>
    /// The installed `seeding` tool in the service's folder, as the README runs it: no `--assembly`, the tool finds the
    /// project there and builds it.
    /// </summary>
    private Task<ProcessResult> SeedingInService(string[] arguments, IReadOnlyDictionary<string, string?>? extra = null) =>
        Run(Seeding, App, Long, arguments, extra);

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
}
