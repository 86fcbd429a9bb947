using System.Text.Json;

namespace Seeding.Cli.Projects;

/// <summary>
/// Finds a service's project, builds it and returns its output assembly, as <c>dotnet ef</c> does: the one .csproj in
/// the working directory (or <c>--project</c>), <c>dotnet build</c> as a child process (its output shown only on failure
/// or with <c>--verbose</c>; <c>--no-build</c> skips it), and the assembly's path asked of MSBuild (<c>TargetPath</c>
/// for the configuration and framework), never guessed from bin/ folders. Under <c>--no-build</c> a seed file newer
/// than the assembly is refused by name: the build would not have it.
/// </summary>
internal sealed class ProjectDiscovery(CommandContext context)
{
    /// <summary>The configuration <c>dotnet build</c> uses when none is given.</summary>
    public const string DefaultConfiguration = "Debug";

    // What the generator compiles into the assembly, relative to the project's folder.
    private static readonly string[] SeedFiles = ["seeding.yaml", "seeding.lock.json"];
    private static readonly string[] SeedFolders = ["migrations", "bootstrap"];

    /// <summary>Finds the project the request names (or the working directory's), builds it unless told not to, and returns its assembly's path.</summary>
    /// <exception cref="UsageException">No project, several, a multi-target project without <c>--framework</c>, or a stale build under <c>--no-build</c>.</exception>
    /// <exception cref="CommandException">The build failed (its output is shown), or MSBuild could not read the project.</exception>
    public async Task<string> FindAssemblyAsync(ProjectRequest request, CancellationToken cancellationToken)
    {
        var project = FindProject(request.Project);
        var configuration = string.IsNullOrWhiteSpace(request.Configuration) ? DefaultConfiguration : request.Configuration.Trim();
        var (assembly, framework) = await TargetPathAsync(project, configuration, request.Framework, cancellationToken).ConfigureAwait(false);
        if (request.NoBuild)
        {
            RefuseStaleBuild(project, assembly);
        }
        else
        {
            await BuildAsync(project, configuration, framework, request.Verbose, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(assembly))
        {
            throw new CommandException(ExitCodes.Failure,
                $"The build of {context.DisplayPath(project)} has no {context.DisplayPath(assembly)} (MSBuild's TargetPath). Pass the service's assembly with --assembly.");
        }

        return assembly;
    }

    /// <summary>
    /// The service's folder for commands that write into it (<c>new</c>, <c>init</c>, <c>lock</c>): <c>--service-dir</c>,
    /// else <c>--project</c>'s folder, else the working directory.
    /// </summary>
    public static string ServiceFolder(CommandContext context, string? serviceDirectory)
    {
        if (serviceDirectory is null && context.Project.Project is { } project)
        {
            var full = context.ResolvePath(project);
            return File.Exists(full) ? Path.GetDirectoryName(full)! : full;
        }

        return context.ResolvePath(serviceDirectory ?? ".");
    }

    /// <summary>The project file: <c>--project</c>'s file, or the one .csproj in its folder (default: the working directory).</summary>
    internal string FindProject(string? given)
    {
        var folder = context.WorkingDirectory;
        if (given is not null)
        {
            var full = context.ResolvePath(given);
            if (File.Exists(full))
            {
                return full.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)
                    ? full
                    : throw new UsageException($"--project '{given}' is not a C# project file (.csproj). Pass the service's .csproj or its folder.");
            }

            if (!Directory.Exists(full))
            {
                throw new UsageException(
                    $"--project '{given}' is neither a project file nor a folder. --project names the service's .csproj (or its folder), as in dotnet ef; " +
                    "the Firestore project id is --firestore-project.");
            }

            folder = full;
        }

        var projects = Directory.EnumerateFiles(folder, "*.csproj").Order(StringComparer.Ordinal).ToArray();
        var name = context.DisplayPath(folder) is "." ? "The current folder" : $"'{context.DisplayPath(folder)}'";
        return projects.Length switch
        {
            1 => projects[0],
            0 => throw new UsageException(
                $"{name} has no .csproj, so there is no service to load. Run the command in the service project's folder, " +
                $"or pass --project path/to/MyService.csproj (or --assembly path/to/MyService.dll for a build of your own)."),
            _ => throw new UsageException(
                $"{name} has several projects: {string.Join(", ", projects.Select(Path.GetFileName))}. " +
                $"Pass the one to use: --project {context.DisplayPath(projects[0])}."),
        };
    }

    private async Task<(string Assembly, string? Framework)> TargetPathAsync(string project, string configuration, string? framework, CancellationToken cancellationToken)
    {
        var properties = await EvaluateAsync(project, configuration, framework, cancellationToken).ConfigureAwait(false);
        if (properties.TryGetValue("TargetPath", out var targetPath) && !string.IsNullOrWhiteSpace(targetPath))
        {
            return (targetPath, framework);
        }

        var frameworks = (properties.GetValueOrDefault("TargetFrameworks") ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (framework is null && frameworks.Length == 1)
        {
            return await TargetPathAsync(project, configuration, frameworks[0], cancellationToken).ConfigureAwait(false);
        }

        if (framework is null && frameworks.Length > 1)
        {
            throw new UsageException(
                $"{context.DisplayPath(project)} targets several frameworks ({string.Join(", ", frameworks)}): pass the one to load with --framework, e.g. --framework {frameworks[^1]}.");
        }

        throw new CommandException(ExitCodes.Failure,
            $"MSBuild names no output assembly (TargetPath) for {context.DisplayPath(project)} in {configuration}{(framework is null ? string.Empty : " " + framework)}. " +
            "Pass the service's assembly with --assembly.");
    }

    private async Task<Dictionary<string, string>> EvaluateAsync(string project, string configuration, string? framework, CancellationToken cancellationToken)
    {
        List<string> arguments =
        [
            "msbuild", project, "-nologo", "-getProperty:TargetPath", "-getProperty:TargetFrameworks", $"-p:Configuration={configuration}",
        ];
        if (framework is not null)
        {
            arguments.Add($"-p:TargetFramework={framework}");
        }

        var result = await SdkProcess.RunAsync(arguments, Path.GetDirectoryName(project)!, echo: null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            await context.Error.WriteAsync(result.Output).ConfigureAwait(false);
            throw new CommandException(ExitCodes.Failure, $"MSBuild could not read {context.DisplayPath(project)} (dotnet msbuild exited with {result.ExitCode}); its output is above.");
        }

        try
        {
            using var json = JsonDocument.Parse(result.StandardOutput);
            return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CommandException(ExitCodes.Failure,
                $"dotnet msbuild -getProperty gave no properties for {context.DisplayPath(project)} (a .NET SDK 8 or later is needed). Pass the service's assembly with --assembly.", e);
        }
    }

    private async Task BuildAsync(string project, string configuration, string? framework, bool verbose, CancellationToken cancellationToken)
    {
        List<string> arguments = ["build", project, "-nologo", "--configuration", configuration];
        if (framework is not null)
        {
            arguments.AddRange(["--framework", framework]);
        }

        if (!verbose)
        {
            arguments.Add("-v:q");
        }

        var display = context.DisplayPath(project);
        await context.Error.WriteLineAsync($"Building {display} ({configuration})...").ConfigureAwait(false);
        var result = await SdkProcess.RunAsync(arguments, Path.GetDirectoryName(project)!, verbose ? context.Error : null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            if (!verbose)
            {
                await context.Error.WriteAsync(result.Output).ConfigureAwait(false);
            }

            throw new CommandException(ExitCodes.Failure,
                $"The build of {display} failed (dotnet build exited with {result.ExitCode}); its errors are above. Fix them and run the command again.");
        }
    }

    /// <summary>Under <c>--no-build</c>: the assembly exists and no seed file changed after it was built.</summary>
    private void RefuseStaleBuild(string project, string assembly)
    {
        var shown = context.DisplayPath(assembly);
        if (!File.Exists(assembly))
        {
            throw new UsageException($"{shown} does not exist: build {context.DisplayPath(project)} first, or drop --no-build.");
        }

        var built = File.GetLastWriteTimeUtc(assembly);
        var folder = Path.GetDirectoryName(project)!;
        var newer = SeedFiles.Select(file => Path.Combine(folder, file)).Where(File.Exists)
            .Concat(SeedFolders.Select(sub => Path.Combine(folder, sub)).Where(Directory.Exists)
                .SelectMany(sub => Directory.EnumerateFiles(sub, "*", SearchOption.AllDirectories)))
            .Where(file => File.GetLastWriteTimeUtc(file) > built)
            .Select(file => Path.GetRelativePath(folder, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (newer.Length > 0)
        {
            var more = newer.Length == 1 ? string.Empty : $" (and {newer.Length - 1} more)";
            throw new UsageException(
                $"{newer[0]}{more} is newer than {shown}, so that build does not have it. Build (drop --no-build), or pass --assembly {shown} to use that build as it is.");
        }
    }
}
