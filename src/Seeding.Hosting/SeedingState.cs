using Seeding.Running;

namespace Seeding.Hosting;

/// <summary>What the startup run did, for the health check.</summary>
internal sealed class SeedingState
{
    public RunReport? LastRun { get; set; }

    public Exception? LastError { get; set; }
}
