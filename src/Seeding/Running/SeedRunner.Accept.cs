using Seeding.Definitions;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>What accepting an edited migration recorded, or would record.</summary>
/// <param name="Migration">The migration accepted, with the checksum its file gives now.</param>
/// <param name="DryRun">True when nothing was written.</param>
/// <param name="OldChecksum">The checksum the history recorded when it was applied.</param>
/// <param name="NewChecksum">The checksum recorded now (the file's).</param>
/// <param name="Reason">Why the edit was accepted, as given.</param>
/// <param name="AcceptedBy">Who accepted it.</param>
public sealed record AcceptReport(SeedDefinition Migration, bool DryRun, string OldChecksum, string NewChecksum, string Reason, string AcceptedBy)
{
    /// <summary>When the store recorded the accept (its commit time); null for a dry run.</summary>
    public Timestamp? AcceptedAt { get; init; }
}

/// <summary>Accepting an intended edit of an applied migration (Flyway's repair).</summary>
public sealed partial class SeedRunner
{
    /// <summary>
    /// Records the current checksum of an applied migration whose file was edited on purpose, so runs no longer refuse
    /// it as drifted. Nothing is applied again: the edit's content is not run. Under the service's lease, one atomic
    /// commit updates the history document and writes an audit entry beside it (old and new checksum, who, when, why).
    /// </summary>
    /// <param name="service">The service the migration belongs to.</param>
    /// <param name="migration">The migration, one of <paramref name="service"/>'s, as built now.</param>
    /// <param name="reason">Why the edit is accepted; required, recorded in the audit entry.</param>
    /// <param name="acceptedBy">Who accepts it; default the user and machine name (<c>user@host</c>).</param>
    /// <param name="dryRun">Only say what would be recorded; write nothing and take no lease.</param>
    /// <param name="cancellationToken">Cancels the accept.</param>
    /// <exception cref="ArgumentException">The reason is blank, or the migration is not the service's.</exception>
    /// <exception cref="InvalidOperationException">The migration is pending, or applied with the checksum it has now (not drifted).</exception>
    public async Task<AcceptReport> AcceptAsync(
        ServiceSeeds service, SeedDefinition migration, string reason, string? acceptedBy = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(migration);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required: it is recorded in the history with the accepted checksum.", nameof(reason));
        }

        if (!migration.IsMigration || !service.Seeds.Contains(migration))
        {
            throw new ArgumentException($"{migration} is not a migration of service '{service.Service}'.", nameof(migration));
        }

        var who = string.IsNullOrWhiteSpace(acceptedBy) ? $"{Environment.UserName}@{Environment.MachineName}" : acceptedBy.Trim();
        var lease = dryRun ? null : await LeaseLock.AcquireAsync(_store, service.Service, [], _options, cancellationToken).ConfigureAwait(false);
        try
        {
            var history = (await _store.GetAllAsync([MigrationHistory.PathOf(service.Service, migration)], cancellationToken).ConfigureAwait(false))[0];
            var status = MigrationHistory.StatusOf(migration, history);
            switch (status.State)
            {
                case MigrationState.Pending:
                    throw new InvalidOperationException(
                        $"{service.Service} {migration} is not applied in this store, so there is no recorded checksum to replace; 'migrate' applies it as it is now.");
                case MigrationState.Applied:
                    throw new InvalidOperationException(
                        $"{service.Service} {migration} is applied with the checksum its file gives now ({migration.Checksum}): it has not drifted, there is nothing to accept.");
            }

            var report = new AcceptReport(migration, dryRun, status.AppliedChecksum ?? string.Empty, migration.Checksum, reason.Trim(), who);
            if (lease is null)
            {
                return report;
            }

            var outcomes = await lease.CommitHoldingAsync(MigrationHistory.Accept(service.Service, migration, history, report.Reason, who), cancellationToken).ConfigureAwait(false);
            return report with { AcceptedAt = outcomes[1].UpdateTime };
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
