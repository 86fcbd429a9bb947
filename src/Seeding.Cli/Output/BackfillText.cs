using System.Globalization;
using Seeding.Cli.Commands;
using Seeding.Definitions;
using Seeding.Running;

namespace Seeding.Cli.Output;

/// <summary><c>status</c>'s section on backfills in progress: per backfill its partitions done, and per partition its checkpoint and owner.</summary>
internal static class BackfillText
{
    /// <summary>The backfills of <paramref name="service"/>'s pending migrations (one query; none when nothing is pending).</summary>
    public static async Task<IReadOnlyList<BackfillStatus>> InProgressAsync(SeedRunner runner, ServiceSeeds service, IReadOnlyList<MigrationStatus> migrations, CancellationToken cancellationToken)
    {
        var pending = migrations.Where(m => m.State == MigrationState.Pending).Select(m => m.Seed.ToString()).ToHashSet(StringComparer.Ordinal);
        if (pending.Count == 0)
        {
            return [];
        }

        var backfills = await runner.GetBackfillsAsync(service.Service, cancellationToken).ConfigureAwait(false);
        return backfills.Where(b => pending.Contains(b.Migration)).ToArray();
    }

    public static async Task WriteAsync(TextWriter output, IReadOnlyList<ServiceStatus> services)
    {
        foreach (var service in services)
        {
            foreach (var backfill in service.Backfills)
            {
                var counts = string.Create(CultureInfo.InvariantCulture, $"{backfill.Done}/{backfill.PartitionCount} partitions done, {backfill.Scanned:N0} read, {backfill.Updated:N0} updated");
                await output.WriteLineAsync(
                    $"Backfill: {Printable.Escape(service.Service.Service)} {Printable.Escape(backfill.Migration)} ({Printable.Escape(backfill.Collection)}): {counts}. " +
                    "A running migrate works on it; otherwise the next one resumes each partition from its checkpoint.").ConfigureAwait(false);
                var table = new TextTable(("  Partition", false), ("State", false), ("Read", true), ("Updated", true), ("Checkpoint", false), ("Owner", false), ("Lease until (UTC)", false));
                foreach (var partition in backfill.Partitions)
                {
                    table.Add(
                        "  " + partition.Index.ToString(CultureInfo.InvariantCulture),
                        partition.Done ? "done" : partition.Owner is null ? "waiting" : "claimed",
                        partition.Scanned.ToString("N0", CultureInfo.InvariantCulture),
                        partition.Updated.ToString("N0", CultureInfo.InvariantCulture),
                        partition.Cursor is null ? "-" : Printable.Escape(partition.Cursor),
                        partition.Owner is null ? "-" : Printable.Escape(partition.Owner),
                        partition.ExpiresAt is { } until ? until.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-");
                }

                table.Write(output);
                await output.WriteLineAsync().ConfigureAwait(false);
            }
        }
    }
}
