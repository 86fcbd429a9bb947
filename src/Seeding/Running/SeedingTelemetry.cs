using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Seeding.Running;

/// <summary>
/// The name OpenTelemetry collects Seeding under: traces from an activity source and metrics from a meter, both called
/// <c>Seeding</c> (<c>AddSource(SeedingTelemetry.Name)</c>, <c>AddMeter(SeedingTelemetry.Name)</c>).
/// </summary>
/// <remarks>
/// <para>Activities: <c>seeding.run</c> per run and <c>seeding.seed</c> per seed file.</para>
/// <para>Instruments: <c>seeding.documents</c> (documents written or skipped, tagged <c>seeding.service</c>,
/// <c>seeding.phase</c>, <c>seeding.action</c>); <c>seeding.resources</c> (topics, subscriptions, indexes and field
/// overrides ensured, tagged <c>seeding.service</c>, <c>seeding.kind</c>, <c>seeding.action</c>); <c>seeding.seeds</c> (seed files finished, tagged
/// <c>seeding.service</c>, <c>seeding.outcome</c>); <c>seeding.documents.decoded</c> (documents decoded from the
/// compact form of large seed files, tagged <c>seeding.source</c>); <c>seeding.run.duration</c> (seconds, tagged
/// <c>seeding.service</c>); <c>seeding.drift.documents</c> (a gauge: drifted documents at each service's last diff, tagged
/// <c>seeding.service</c>); <c>seeding.backfill.documents.scanned</c>, <c>.updated</c>, <c>.skipped</c> (documents a
/// backfill read, wrote and left alone as it runs, tagged <c>seeding.service</c>, <c>seeding.seed</c>, <c>seeding.dry_run</c>);
/// <c>seeding.backfill.documents.read</c> (documents read by backfill workers: their sum minus the documents the backfill
/// matches is what was read again after workers died) and <c>seeding.backfill.takeovers</c> (partitions resumed from a
/// checkpoint after their worker's lease expired), both tagged <c>seeding.service</c>.</para>
/// <para>The source, the meter and the instruments themselves are internal: only the runner records to them.</para>
/// </remarks>
public static class SeedingTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Seeding";

    /// <summary>One activity per run (<c>seeding.run</c>) and per seed file (<c>seeding.seed</c>).</summary>
    internal static ActivitySource ActivitySource { get; } = new(Name, "0.1.0");

    /// <summary>The meter behind the counters below.</summary>
    internal static Meter Meter { get; } = new(Name, "0.1.0");

    /// <summary>Documents written or skipped, tagged with <c>seeding.service</c>, <c>seeding.phase</c> and <c>seeding.action</c>.</summary>
    internal static Counter<long> Documents { get; } = Meter.CreateCounter<long>("seeding.documents", "{document}", "Documents created, updated or skipped by seed runs.");

    /// <summary>Resource steps handled, tagged with <c>seeding.service</c>, <c>seeding.kind</c> (<see cref="ResourceKind"/>) and <c>seeding.action</c> (<see cref="ResourceAction"/>).</summary>
    internal static Counter<long> Resources { get; } = Meter.CreateCounter<long>("seeding.resources", "{resource}", "Topics, subscriptions, indexes and field overrides ensured by seed runs.");

    /// <summary>Seed files finished, tagged with <c>seeding.service</c> and <c>seeding.outcome</c>.</summary>
    internal static Counter<long> Seeds { get; } = Meter.CreateCounter<long>("seeding.seeds", "{file}", "Seed files handled by seed runs.");

    /// <summary>
    /// Documents decoded from the compact form of large seed files, tagged with <c>seeding.source</c> (the YAML file).
    /// Zero for a migration that is already applied: deciding that needs only its id and checksum.
    /// </summary>
    internal static Counter<long> DocumentsDecoded { get; } = Meter.CreateCounter<long>("seeding.documents.decoded", "{document}", "Documents decoded from the compact data of large seed files.");

    /// <summary>Documents a backfill read, tagged with <c>seeding.service</c>, <c>seeding.seed</c> and <c>seeding.dry_run</c>.</summary>
    internal static Counter<long> BackfillScanned { get; } = Meter.CreateCounter<long>("seeding.backfill.documents.scanned", "{document}", "Documents read by backfills.");

    /// <summary>Documents a backfill wrote (in a dry run: would write), tagged as <see cref="BackfillScanned"/>.</summary>
    internal static Counter<long> BackfillUpdated { get; } = Meter.CreateCounter<long>("seeding.backfill.documents.updated", "{document}", "Documents updated by backfills.");

    /// <summary>Documents a backfill read and left alone (not matching its conditions), tagged as <see cref="BackfillScanned"/>.</summary>
    internal static Counter<long> BackfillSkipped { get; } = Meter.CreateCounter<long>("seeding.backfill.documents.skipped", "{document}", "Documents read and left alone by backfills.");
    /// <summary>
    /// Documents read by backfill workers, tagged with <c>seeding.service</c>. Summed over every worker of a backfill it
    /// exceeds the documents the backfill's query matches only by what was read again after a worker died: at most one
    /// batch per partition it held.
    /// </summary>
    internal static Counter<long> BackfillDocumentsRead { get; } = Meter.CreateCounter<long>("seeding.backfill.documents.read", "{document}", "Documents read by backfill workers.");

    /// <summary>Backfill partitions taken over from a worker whose lease expired, tagged with <c>seeding.service</c>.</summary>
    internal static Counter<long> BackfillTakeovers { get; } = Meter.CreateCounter<long>("seeding.backfill.takeovers", "{partition}", "Backfill partitions resumed from a checkpoint after their worker's lease expired.");

    /// <summary>Run durations in seconds, tagged with <c>seeding.service</c>.</summary>
    internal static Histogram<double> RunDuration { get; } = Meter.CreateHistogram<double>("seeding.run.duration", "s", "Duration of seed runs.");

    /// <summary>Drifted documents found by each service's last diff (<c>seeding diff</c>, the health check's drift check), tagged with <c>seeding.service</c>.</summary>
    internal static ObservableGauge<long> DriftedDocuments { get; } = Meter.CreateObservableGauge("seeding.drift.documents", Diffing.DriftGauge.Observe, "{document}", "Declared documents that differ from the live data at the last diff.");
}
