namespace Seeding.Hosting;

/// <summary>
/// Settings of the health check's drift check (<c>Seeding:Health</c>): off by default, since it reads every bootstrap
/// document.
/// </summary>
public sealed class SeedingHealthOptions
{
    /// <summary>Compare the bootstrap documents with the live data and report Degraded when they differ (<c>Seeding:Health:CheckDrift</c>).</summary>
    public bool CheckDrift { get; set; }

    /// <summary>How long a drift result is reused before the store is read again (<c>Seeding:Health:DriftInterval</c>, e.g. <c>00:05:00</c>). Default 5 minutes.</summary>
    public TimeSpan DriftInterval { get; set; } = TimeSpan.FromMinutes(5);
}
