using System.Diagnostics.Metrics;
using Seeding.Running;

namespace Seeding.Generators.Tests;

/// <summary>
/// Counts the documents the runtime decodes from one seed file's compact data, through the
/// <c>seeding.documents.decoded</c> counter (tagged with the file), from creation until disposed.
/// </summary>
internal sealed class DecodedDocuments : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public DecodedDocuments(string source)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SeedingTelemetry.Name && instrument.Name == "seeding.documents.decoded")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "seeding.source" && (string?)tag.Value == source)
                {
                    Interlocked.Add(ref _count, value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Documents decoded so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Starts counting again from zero.</summary>
    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public void Dispose() => _listener.Dispose();
}
