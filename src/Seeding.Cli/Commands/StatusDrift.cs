using System.CommandLine;
using Seeding.Cli.Output;
using Seeding.Definitions;
using Seeding.Diffing;
using Seeding.Running;

namespace Seeding.Cli.Commands;

/// <summary>
/// <c>status --drift</c>: the same diff as <c>seeding diff</c> (one snapshot; documents, match steps, backfills, and
/// resources: topics and subscriptions on the Pub/Sub target <c>diff</c> would use, indexes and field overrides where the
/// store manages them), summed per seed file into a Drift column. Read only when asked, so a plain <c>status</c> stays
/// one read of the history.
/// </summary>
internal static class StatusDrift
{
    public static Option<bool>? AddOption(Command command, bool verify)
    {
        if (verify)
        {
            return null;
        }

        var option = new Option<bool>("--drift") { Description = "Also compare the live data with the seeds (as seeding diff does) and show what drifted per seed file." };
        command.Options.Add(option);
        return option;
    }

    public static async Task<IReadOnlyDictionary<string, ServiceDiff>> ReadAsync(
        CommandContext context, Stores.StoreSettings settings, Stores.OpenStore store, IReadOnlyList<ServiceSeeds> services, CancellationToken cancellationToken)
    {
        using var pubSub = MigrateCommand.OpenPubSub(settings);
        var options = new SeedRunnerOptions { PubSub = pubSub, Capabilities = Hosting.SeedingStoreCapabilities.Of(store.Store) };
        var request = new DiffRequest { Configuration = context.Configuration, Environment = RunSettings.Environment(null, context) };
        try
        {
            var result = await new SeedDiffer(store.Store, options).DiffAsync(services, request, cancellationToken).ConfigureAwait(false);
            return result.Services.ToDictionary(s => s.Service, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new CommandException(ExitCodes.Failure, $"Could not compare the live data with the seeds (--drift): {e.Message}", e);
        }
    }

    /// <summary>What drifted that the seed file declares last: documents, match steps, backfills and resources; null without <c>--drift</c>.</summary>
    public static int? Count(IReadOnlyDictionary<string, ServiceDiff>? drift, string service, SeedDefinition seed) =>
        drift is null || !drift.TryGetValue(service, out var diff)
            ? null
            : diff.Documents.Count(d => d.Drifted && d.Source == seed.SourcePath)
              + diff.Matches.Count(m => m.Drifted && m.Source == seed.SourcePath)
              + diff.Backfills.Count(b => b.Drifted && b.Source == seed.SourcePath)
              + diff.Resources.Count(r => r.Drifted && r.Source == seed.SourcePath);

    /// <summary>The row's cells (the service first), with the Drift cell last when it was asked for.</summary>
    public static string[] Row(IReadOnlyDictionary<string, ServiceDiff>? drift, SeedDefinition? seed, string service, params string[] cells) =>
        drift is null ? [service, .. cells] : [service, .. cells, seed is null ? string.Empty : seed.Code is not null ? "not compared" : Cell(Count(drift, service, seed))];

    public static async Task WriteBootstrapAsync(TextWriter output, StatusResult result)
    {
        if (result.Drift is null)
        {
            return;
        }

        var bootstrap = result.Services
            .SelectMany(s => s.Service.Seeds.Where(seed => !seed.IsMigration).Select(seed => (Service: s.Service.Service, Seed: seed)))
            .Select(b => (b.Service, b.Seed, Count: Count(result.Drift, b.Service, b.Seed) ?? 0))
            .Where(b => b.Count > 0)
            .ToArray();
        var total = result.Drift.Values.Sum(d => d.DriftCount);
        await output.WriteLineAsync(total == 0
            ? "Drift: none; the live data holds what the seeds declare."
            : $"Drift: {Format.Plural(total, "difference", "differences")} from the seeds" +
              (bootstrap.Length == 0 ? string.Empty : $" ({string.Join(", ", bootstrap.Select(b => $"{Printable.Escape(b.Service)}/{Printable.Escape(b.Seed.Id)}: {b.Count}"))} in bootstrap seeds)") +
              "; `seeding diff` shows them field by field.").ConfigureAwait(false);
    }

    private static string Cell(int? count) => count switch
    {
        null => "-",
        0 => "none",
        _ => $"{count} drifted",
    };
}
