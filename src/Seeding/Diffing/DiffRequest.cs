using Microsoft.Extensions.Configuration;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Diffing;

/// <summary>What one diff compares: which phases' seed files, with which configuration and environment.</summary>
public sealed record DiffRequest
{
    /// <summary>The phases whose seed files declare the state compared (applied, pending and bootstrap alike); default all.</summary>
    public IReadOnlyCollection<SeedPhase> Phases { get; init; } = SeedRunner.PhaseOrder;

    /// <summary>Where <c>!env</c> values and <c>when:</c> conditions are read, as for a run; null reads environment variables.</summary>
    public IConfiguration? Configuration { get; init; }

    /// <summary>The environment matched against <c>environments:</c>, as for a run; null when none is known.</summary>
    public string? Environment { get; init; }

    /// <summary>Also list fields the live documents hold that no seed declares (never counted as drift).</summary>
    public bool ShowUnmanaged { get; init; }

    // The run request the runner's own resolver takes, so steps are left out and !env filled exactly as a run does.
    internal RunRequest AsRunRequest() => new() { Phases = Phases, DryRun = true, Configuration = Configuration, Environment = Environment };
}
