using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Seeding.Definitions;
using Seeding.Diffing;

namespace Seeding.Hosting;

/// <summary>
/// The health check's drift of bootstrap documents: <see cref="SeedDiffer"/> over the bootstrap phase, on the store the
/// host uses, at most once per <see cref="SeedingHealthOptions.DriftInterval"/> (probes come often; one diff serves them).
/// </summary>
internal sealed class SeedingDriftCheck(
    SeedingStoreProvider stores, ServiceSeeds seeds, IOptions<SeedingHostOptions> options, IConfiguration? configuration = null, IHostEnvironment? environment = null, TimeProvider? time = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private (long At, ServiceDiff Diff)? _last;

    public bool Enabled => options.Value.Health.CheckDrift;

    /// <summary>The bootstrap seeds' diff, read again once the interval has passed.</summary>
    public async Task<ServiceDiff> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && _time.GetElapsedTime(last.At) < options.Value.Health.DriftInterval)
            {
                return last.Diff;
            }

            var store = stores.InUse.Store;
            var differ = new SeedDiffer(store, new Running.SeedRunnerOptions { Capabilities = SeedingStoreCapabilities.Of(store) });
            var request = new DiffRequest { Phases = [SeedPhase.Bootstrap], Configuration = configuration, Environment = environment?.EnvironmentName };
            var diff = (await differ.DiffAsync([seeds], request, cancellationToken).ConfigureAwait(false)).Services[0];
            _last = (_time.GetTimestamp(), diff);
            return diff;
        }
        finally
        {
            _gate.Release();
        }
    }
}
