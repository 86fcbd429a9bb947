namespace Seeding.Cli.Projects;

/// <summary>
/// What the project options said (<c>--project</c>, <c>--no-build</c>, <c>--configuration</c>, <c>--framework</c>,
/// <c>--verbose</c>): which project's build to load when no <c>--assembly</c> is given, as <c>dotnet ef</c> does.
/// </summary>
internal sealed record ProjectRequest
{
    /// <summary>Nothing said: the project in the working directory, built in Debug.</summary>
    public static readonly ProjectRequest None = new();

    /// <summary><c>--project</c>: a .csproj, or the folder of one; null for the working directory's.</summary>
    public string? Project { get; init; }

    /// <summary><c>--no-build</c>: load the last build; refused when a seed file is newer than it.</summary>
    public bool NoBuild { get; init; }

    /// <summary><c>--configuration</c>; null for Debug (what <c>dotnet build</c> uses).</summary>
    public string? Configuration { get; init; }

    /// <summary><c>--framework</c>: the target framework of a project that has several.</summary>
    public string? Framework { get; init; }

    /// <summary><c>--verbose</c>: show the build's output even when it succeeds.</summary>
    public bool Verbose { get; init; }
}
