using System.CommandLine;
using Seeding.Cli.Projects;

namespace Seeding.Cli.Commands;

/// <summary>
/// The project options, as <c>dotnet ef</c> has them: which project's build every command that loads services runs on
/// when no <c>--assembly</c> is given. Recursive options of the root, like <c>--assembly</c>, so every such command takes
/// them (and <c>new</c>, <c>init</c> and <c>lock</c> take <c>--project</c>'s folder as the service's folder).
/// </summary>
internal sealed class ProjectOptions
{
    public Option<string> Project { get; } = new("--project")
    {
        Description = "The service's project (.csproj, or its folder) to build and load. Default: the one .csproj in the current folder. " +
                      "Not used when --assembly is given. (The Firestore project id is --firestore-project.)",
        HelpName = "path",
        Recursive = true,
    };

    public Option<bool> NoBuild { get; } = new("--no-build")
    {
        Description = "Load the project's last build instead of building it first; refused, naming the file, when a seed file is newer than that build.",
        Recursive = true,
    };

    public Option<string> Configuration { get; } = new("--configuration")
    {
        Description = $"The configuration to build and load. Default: {ProjectDiscovery.DefaultConfiguration}.",
        HelpName = "name",
        Recursive = true,
    };

    public Option<string> Framework { get; } = new("--framework")
    {
        Description = "The target framework to build and load, for a project that has several (e.g. net10.0).",
        HelpName = "tfm",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "More output: the build's output even when it succeeds, and for migrate and plan a progress line for every seed file " +
                      "(otherwise only once a run takes more than a second) and the store's retries.",
        Recursive = true,
    };

    /// <summary>What the project options said, for <see cref="CommandContext.Project"/>.</summary>
    public ProjectRequest Read(ParseResult parse) => new()
    {
        Project = parse.GetValue(Project),
        NoBuild = parse.GetValue(NoBuild),
        Configuration = parse.GetValue(Configuration),
        Framework = parse.GetValue(Framework),
        Verbose = parse.GetValue(Verbose),
    };

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Project);
        root.Options.Add(NoBuild);
        root.Options.Add(Configuration);
        root.Options.Add(Framework);
        root.Options.Add(Verbose);
    }
}
