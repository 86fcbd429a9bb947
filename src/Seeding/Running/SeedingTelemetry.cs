using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Seeding.Running;

/// <summary>
/// The names OpenTelemetry collects: traces from <see cref="ActivitySource"/> and metrics from <see cref="Meter"/>,
/// both called <c>Seeding</c> (<c>AddSource("Seeding")</c>, <c>AddMeter("Seeding")</c>).
/// </summary>
public static class SeedingTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Seeding";

    /// <summary>One activity per run (<c>seeding.run</c>) and per seed file (<c>seeding.seed</c>).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, "0.1.0");

    /// <summary>The meter behind the counters below.</summary>
    public static Meter Meter { get; } = new(Name, "0.1.0");

    /// <summary>Documents written or skipped, tagged with <c>seeding.service</c>, <c>seeding.phase</c> and <c>seeding.action</c>.</summary>
    public static Counter<long> Documents { get; } = Meter.CreateCounter<long>("seeding.documents", "{document}", "Documents created, updated or skipped by seed runs.");

    /// <summary>Seed files finished, tagged with <c>seeding.service</c> and <c>seeding.outcome</c>.</summary>
    public static Counter<long> Seeds { get; } = Meter.CreateCounter<long>("seeding.seeds", "{file}", "Seed files handled by seed runs.");

    /// <summary>
    /// Documents decoded from the compact form of large seed files, tagged with <c>seeding.source</c> (the YAML file).
    /// Zero for a migration that is already applied: deciding that needs only its id and checksum.
    /// </summary>
    public static Counter<long> DocumentsDecoded { get; } = Meter.CreateCounter<long>("seeding.documents.decoded", "{document}", "Documents decoded from the compact data of large seed files.");

    /// <summary>Run durations in seconds, tagged with <c>seeding.service</c>.</summary>
    public static Histogram<double> RunDuration { get; } = Meter.CreateHistogram<double>("seeding.run.duration", "s", "Duration of seed runs.");
}
