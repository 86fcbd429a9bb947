using Microsoft.Extensions.Configuration;
using Seeding.Definitions;

namespace Seeding.Cli;

/// <summary>How a host runs the command line: the services it knows and where it runs.</summary>
public sealed record SeedingCommandLineOptions
{
    /// <summary>The services the host brings (usually each assembly's <c>SeedingRegistry.Service</c>).</summary>
    public IReadOnlyList<ServiceSeeds> Services { get; init; } = [];

    /// <summary>
    /// How users invoke the host, shown in examples and hints; default <c>seeding</c>. May hold spaces, e.g.
    /// <c>dotnet run --project src/MyService --</c>.
    /// </summary>
    public string CommandName { get; init; } = "seeding";

    /// <summary>
    /// Where relative paths (<c>--database</c>, <c>--service-dir</c>, <c>--assembly</c>) start; default the process's
    /// current directory.
    /// </summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>. Tests replace it.</summary>
    public Func<string, string?>? EnvironmentVariables { get; init; }

    /// <summary>
    /// Where <c>!env NAME</c> values and <c>when:</c> conditions are read, e.g. the service's own configuration
    /// (appsettings, secrets, environment variables). Default: <see cref="EnvironmentVariables"/>.
    /// </summary>
    public IConfiguration? Configuration { get; init; }

    /// <summary>The clock for durations and progress pacing; default the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
