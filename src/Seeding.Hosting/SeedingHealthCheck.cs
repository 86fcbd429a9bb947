using Microsoft.Extensions.Diagnostics.HealthChecks;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Hosting;

/// <summary>
/// Reports the service's seeding: unhealthy when startup seeding failed or an applied migration drifted, degraded
/// while migrations are pending, or (with <c>Seeding:Health:CheckDrift</c>) while bootstrap documents differ from their
/// seeds, healthy otherwise. Costs one batched read of the history, plus the drift check's diff once per interval.
/// </summary>
internal sealed class SeedingHealthCheck(SeedRunner runner, ServiceSeeds seeds, SeedingState state, SeedingDriftCheck drift) : IHealthCheck
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
        if (pending.Length > 0)
        {
            return HealthCheckResult.Degraded($"{pending.Length} migration(s) pending: {string.Join(", ", pending)}", data: data);
        }

        if (drift.Enabled)
        {
            var diff = await drift.GetAsync(cancellationToken).ConfigureAwait(false);
            var documents = diff.Documents.Where(d => d.Drifted).Select(d => d.Path.ToString()).ToArray();
            data["driftedBootstrap"] = documents;
            if (diff.DriftCount > 0)
            {
                return HealthCheckResult.Degraded(
                    $"{diff.DriftCount} bootstrap difference(s) from the seeds{(documents.Length > 0 ? $": {string.Join(", ", documents.Take(10))}" : string.Empty)}. " +
                    "Run `seeding diff --phase bootstrap` for the fields; the next start ensures what is missing, upserts restore declared fields.", data: data);
            }
        }

        return HealthCheckResult.Healthy("All migrations applied; bootstrap seeds ensured.", data);
    }
}
