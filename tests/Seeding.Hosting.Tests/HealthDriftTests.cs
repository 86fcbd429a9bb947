using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Hosting.Tests;

/// <summary>The health check's opt-in drift check of bootstrap documents, and the drift gauge it feeds.</summary>
public class HealthDriftTests
{
    private static readonly DocumentPath System = DocumentPath.Parse("users/system");

    private static ServiceSeeds Seeds() => new("healthdrift", [],
    [
        new SeedDefinition("system", SeedPhase.Bootstrap, "sha256:b", "bootstrap/system.yaml", null,
            [SeedStep.Upsert("users", 1, [new SeedDocument("system", new Dictionary<string, Value> { ["name"] = Value.String("System") }, 3)])]),
    ]);

    private static IHost BuildHost(IDocumentStore store, params string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSingleton(store);
        builder.Services.AddSeeding(Seeds());
        return builder.Build();
    }

    private static async Task<HealthReportEntry> HealthAsync(IHost host) =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["seeding"];

    [Fact]
    public async Task With_check_drift_an_edited_bootstrap_document_makes_the_service_degraded()
    {
        var store = new InMemoryDocumentStore();
        using var host = BuildHost(store, "--Seeding:Health:CheckDrift=true", "--Seeding:Health:DriftInterval=00:00:00");
        using var off = BuildHost(store);
        await host.StartAsync();
        var clean = await HealthAsync(host);

        await store.WriteBatchAsync([DocumentWrite.Merge(System, new Dictionary<string, Value> { ["name"] = Value.String("Edited by hand") })]);
        var drifted = await HealthAsync(host);
        var unchecked_ = await HealthAsync(off);

        Assert.Equal(HealthStatus.Healthy, clean.Status);
        Assert.Equal(HealthStatus.Degraded, drifted.Status);
        Assert.Contains("1 bootstrap difference(s) from the seeds: users/system", drifted.Description);
        Assert.Equal(["users/system"], (string[])drifted.Data["driftedBootstrap"]);
        Assert.Equal(HealthStatus.Healthy, unchecked_.Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_drift_is_read_again_only_after_the_interval_and_the_gauge_holds_the_count()
    {
        var store = new InMemoryDocumentStore();
        using var host = BuildHost(store, "--Seeding:Health:CheckDrift=true", "--Seeding:Health:DriftInterval=01:00:00");
        await host.StartAsync();
        Assert.Equal(HealthStatus.Healthy, (await HealthAsync(host)).Status);
        var reads = store.ReadCalls;

        await store.WriteBatchAsync([DocumentWrite.Delete(System)]);
        var cached = await HealthAsync(host);
        var gauge = ObserveGauge();

        Assert.Equal(HealthStatus.Healthy, cached.Status); // the last diff is reused within the hour
        Assert.Equal(reads, store.ReadCalls);
        Assert.Equal(0, gauge);

        var diff = await new Seeding.Diffing.SeedDiffer(store, new SeedRunnerOptions { Capabilities = new StoreCapabilities { Snapshots = store } })
            .DiffAsync([Seeds()], new Seeding.Diffing.DiffRequest());
        Assert.Equal(1, diff.DriftCount);
        Assert.Equal(1, ObserveGauge());
        await host.StopAsync();
    }

    // The seeding.drift.documents gauge's value for this test's service.
    private static long ObserveGauge()
    {
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SeedingTelemetry.Name && instrument.Name == "seeding.drift.documents")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "seeding.service" && (string?)tag.Value == "healthdrift")
                {
                    value = measurement;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new InvalidOperationException("The gauge reported nothing for the service.");
    }
}
