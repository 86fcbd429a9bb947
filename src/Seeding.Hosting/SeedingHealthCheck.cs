using Microsoft.Extensions.Diagnostics.HealthChecks;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Hosting;

/// <summary>
/// Reports the service's seeding: unhealthy when startup seeding failed or an applied migration drifted, degraded
/// while migrations are pending, healthy otherwise. Costs one batched read of the history.
/// </summary>
internal sealed class SeedingHealthCheck(SeedRunner runner, ServiceSeeds seeds, SeedingState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statuses = await runner.GetStatusAsync(seeds, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>
        {
            ["service"] = seeds.Service,
            ["applied"] = statuses.Count(s => s.State == MigrationState.Applied),
            ["pending"] = statuses.Where(s => s.State == MigrationState.Pending).Select(s => s.Seed.ToString()).ToArray(),
            ["drifted"] = statuses.Where(s => s.State == MigrationState.Drifted).Select(s => s.Seed.SourcePath).ToArray(),
        };

        if (state.LastError is { } error)
        {
            return HealthCheckResult.Unhealthy($"Startup seeding failed: {error.Message}", error, data);
        }

        var drifted = (string[])data["drifted"];
        if (drifted.Length > 0)
        {
            return HealthCheckResult.Unhealthy($"Applied migration(s) changed since they were applied: {string.Join(", ", drifted)}. Restore them and add a new migration instead.", data: data);
        }

        var pending = (string[])data["pending"];
        return pending.Length > 0
            ? HealthCheckResult.Degraded($"{pending.Length} migration(s) pending: {string.Join(", ", pending)}", data: data)
            : HealthCheckResult.Healthy("All migrations applied; bootstrap seeds ensured.", data);
    }
}
