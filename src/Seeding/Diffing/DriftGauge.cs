using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Seeding.Running;

namespace Seeding.Diffing;

/// <summary>
/// The drifted document count of each service's last diff, behind the OpenTelemetry gauge
/// <c>seeding.drift.documents</c> (<see cref="SeedingTelemetry"/>), tagged <c>seeding.service</c>.
/// </summary>
internal static class DriftGauge
{
    private static readonly ConcurrentDictionary<string, long> Counts = new(StringComparer.Ordinal);

    public static void Record(string service, long drifted)
    {
        _ = SeedingTelemetry.DriftedDocuments; // the gauge exists once anything has drifted or been diffed
        Counts[service] = drifted;
    }

    public static IEnumerable<Measurement<long>> Observe() =>
        Counts.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("seeding.service", pair.Key)));
}
