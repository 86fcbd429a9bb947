using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Hosting;

/// <summary>What the startup run's phases left out, said once each: pending migrations and drifted ones.</summary>
internal sealed partial class SeedingHostedService
{
    /// <summary>
    /// When the run did not cover both migration phases (the default runs only bootstrap), reads where every migration
    /// stands (one batched read of the history) and logs the pending ones in one line with the command that applies
    /// them, and the drifted ones as an error: the host starts, but nobody should learn of them only from /health.
    /// </summary>
    private async Task ReportMigrationsLeftOutAsync(SeedRunner runner, IReadOnlyList<SeedPhase> phases, CancellationToken cancellationToken)
    {
        bool LeftOut(SeedDefinition seed) => seed.IsMigration && !phases.Contains(seed.Phase);
        if (!seeds.Seeds.Any(LeftOut))
        {
            return;
        }

        var statuses = (await runner.GetStatusAsync(seeds, cancellationToken).ConfigureAwait(false)).Where(s => LeftOut(s.Seed)).ToArray();
        var drifted = statuses.Where(s => s.State == MigrationState.Drifted).ToArray();
        if (drifted.Length > 0)
        {
            LogDrifted(seeds.Service, drifted.Length, string.Join(", ", drifted.Select(d => d.Seed.SourcePath)), PhaseNames(phases));
        }

        var pending = statuses.Where(s => s.State == MigrationState.Pending).Select(s => s.Seed).ToArray();
        if (pending.Length > 0)
        {
            LogPending(
                seeds.Service,
                pending.Length == 1 ? "1 migration is" : $"{pending.Length} migrations are",
                PhaseNames(phases),
                string.Join(", ", pending.Select(p => p.ToString())),
                ApplyCommand(pending));
        }
    }

    /// <summary>The command that applies the pending migrations: pre-deploy before the deploy, post-deploy after it.</summary>
    private static string ApplyCommand(IReadOnlyCollection<SeedDefinition> pending)
    {
        var pre = pending.Any(p => p.Phase == SeedPhase.Pre);
        var post = pending.Any(p => p.Phase == SeedPhase.Post);
        return pre && post
            ? "`seeding migrate --phase pre` (before the deploy), then `seeding migrate --phase post` (after it)"
            : pre ? "`seeding migrate --phase pre`" : "`seeding migrate --phase post`";
    }

    [LoggerMessage(5, LogLevel.Warning, "{Service}: {Count} pending and this host runs only {Phases}: {Migrations}. Apply them with {Command}, or set Seeding:Phases or MIGRATION_PHASE to apply them on startup.")]
    private partial void LogPending(string service, string count, string phases, string migrations, string command);

    [LoggerMessage(6, LogLevel.Error, "{Service}: {Count} applied migration(s) changed after they were applied: {Files}. Applied migrations are immutable: undo the edit and put the change in a new, higher-numbered migration, or record an intended edit with `seeding accept <migration> --reason \"...\"`. This host runs only {Phases}, so it starts; its seeding health check reports Unhealthy.")]
    private partial void LogDrifted(string service, int count, string files, string phases);
}
