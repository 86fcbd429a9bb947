using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Plans;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>
/// Applies one service's part of a saved plan exactly: under the service's lease (as a run), one read checks every
/// planned document and the history of every planned migration against what the plan saw; then the planned writes
/// are committed atomically in chunks together with a lease renewal, each with the precondition the plan saw
/// (exists=false, or update_time equal). The first refused precondition stops everything: nothing more is written and
/// the migration stays pending. Migrations are recorded in history as a run records them.
/// </summary>
internal sealed partial class SavedPlanApplier(IDocumentStore store, SeedRunnerOptions options, ILogger logger, SeedFileApplier files)
{
    public async Task<RunReport> ApplyAsync(ServiceSeeds service, SavedServicePlan plan, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var seeds = Resolve(service, plan);
        var migrations = seeds.Where(s => s.Definition.IsMigration).Select(s => s.Definition).ToArray();
        var reports = new List<SeedReport>(seeds.Length);
        var lease = migrations.Length > 0
            ? await LeaseLock.AcquireAsync(store, service.Service, migrations.Select(LeaseLock.KeyOf), options, cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            await VerifyAsync(service.Service, seeds, migrations, reports, clock, cancellationToken).ConfigureAwait(false);
            var written = new Dictionary<DocumentPath, Timestamp>();
            foreach (var (definition, saved) in seeds)
            {
                reports.Add(await ApplySeedAsync(service.Service, definition, saved, lease, written, reports, clock, cancellationToken).ConfigureAwait(false));
                LogSeedApplied(service.Service, definition.ToString(), saved.Entries.Count(e => e.Write is not null));
            }

            return new RunReport(service.Service, false, reports.ToArray(), clock.Elapsed);
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static (SeedDefinition Definition, SavedSeedPlan Saved)[] Resolve(ServiceSeeds service, SavedServicePlan plan)
    {
        var byName = service.Seeds.ToDictionary(s => s.ToString(), StringComparer.Ordinal);
        return plan.Seeds.Select(saved => byName.TryGetValue(saved.Seed, out var definition) && definition.Checksum == saved.Checksum
                ? (definition, saved)
                : throw new SavedPlanMismatchException(
                    $"{service.Service} {saved.Seed}: the plan's file {(definition is null ? "is not in this build" : "has another checksum in this build")}. " +
                    "The plan was made by another build: make a new plan with this build (seeding plan --out)."))
            .ToArray();
    }

    // One read (in chunks of a thousand) of the planned migrations' history and of every document where the plan saw
    // it first, compared with what the plan saw. Anything different: stale, and nothing is written.
    private async Task VerifyAsync(string service, (SeedDefinition Definition, SavedSeedPlan Saved)[] seeds, SeedDefinition[] migrations, List<SeedReport> reports, Stopwatch clock, CancellationToken cancellationToken)
    {
        var expected = new Dictionary<DocumentPath, SavedPlanEntry>();
        foreach (var entry in seeds.SelectMany(s => s.Saved.Entries).Where(e => e.Seen != SeenState.PlannedEarlier))
        {
            expected.TryAdd(entry.Path, entry);
        }

        var history = migrations.ToDictionary(m => MigrationHistory.PathOf(service, m));
        var stale = new List<StalePlanDocument>();
        var applied = new List<string>();
        foreach (var chunk in history.Keys.Concat(expected.Keys).Distinct().Chunk(SeedPlanner.StreamChunk))
        {
            foreach (var snapshot in await store.GetAllAsync(chunk, cancellationToken).ConfigureAwait(false))
            {
                if (history.TryGetValue(snapshot.Path, out var migration))
                {
                    if (snapshot.Exists)
                    {
                        applied.Add(migration.ToString());
                    }
                }
                else if (expected.TryGetValue(snapshot.Path, out var entry) && !Matches(entry, snapshot))
                {
                    stale.Add(new StalePlanDocument(entry.Path, SeenText(entry), snapshot.Exists ? $"updated {ValueJson.FormatTimestamp(snapshot.UpdateTime!.Value)}" : "absent"));
                }
            }
        }

        if (stale.Count > 0 || applied.Count > 0)
        {
            LogStale(service, stale.Count, applied.Count);
            throw new StalePlanException(service, stale, applied, new RunReport(service, false, reports.ToArray(), clock.Elapsed));
        }
    }

    private static bool Matches(SavedPlanEntry entry, DocumentSnapshot now) => entry.Seen switch
    {
        SeenState.Absent => !now.Exists,
        _ => now.Exists && now.UpdateTime == entry.SeenUpdateTime,
    };

    private static string SeenText(SavedPlanEntry entry) => entry.Seen switch
    {
        SeenState.Absent => "absent",
        SeenState.Present => $"updated {ValueJson.FormatTimestamp(entry.SeenUpdateTime!.Value)}",
        _ => "as an earlier write of the plan left it",
    };

    private async Task<SeedReport> ApplySeedAsync(
        string service, SeedDefinition definition, SavedSeedPlan saved, LeaseLock? lease, Dictionary<DocumentPath, Timestamp> written, List<SeedReport> reports, Stopwatch clock, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var earlierAttempt = definition.IsMigration ? await lease!.BeginAsync(LeaseLock.KeyOf(definition), cancellationToken).ConfigureAwait(false) : null;
        (Timestamp First, Timestamp Last)? window = null;
        var chunk = new List<(SavedPlanEntry Entry, DocumentWrite Write)>();
        var chunkSize = Math.Max(1, store.MaxBatchSize - (lease is null ? 0 : 1)); // the lease renewal rides along

        async Task CommitAsync()
        {
            if (chunk.Count == 0)
            {
                return;
            }

            IReadOnlyList<WriteOutcome> outcomes;
            try
            {
                var writes = chunk.Select(c => c.Write).ToArray();
                outcomes = lease is null
                    ? await store.CommitAsync(writes, cancellationToken).ConfigureAwait(false)
                    : await lease.CommitHoldingAsync(writes, cancellationToken).ConfigureAwait(false);
            }
            catch (PreconditionFailedException e) when (chunk.Exists(c => c.Write.Path == e.Path))
            {
                // Changed between the check and this commit: the commit wrote nothing, and nothing after it is written.
                var entry = chunk.First(c => c.Write.Path == e.Path).Entry;
                LogStale(service, 1, 0);
                throw new StalePlanException(service, [new StalePlanDocument(e.Path, SeenText(entry), "changed since the check")], [], new RunReport(service, false, reports.ToArray(), clock.Elapsed));
            }

            foreach (var outcome in outcomes.Take(chunk.Count))
            {
                if (outcome.UpdateTime is { } time)
                {
                    written[outcome.Path] = time;
                    window = window is { } w ? (time < w.First ? time : w.First, time > w.Last ? time : w.Last) : (time, time);
                }
            }

            chunk.Clear();
        }

        foreach (var entry in saved.Entries)
        {
            if (entry.Write is not { } write)
            {
                continue;
            }

            // A write after an earlier one of the plan is conditioned on that write's result, so it waits for it to land.
            if (entry.Seen == SeenState.PlannedEarlier && chunk.Exists(c => c.Write.Path == entry.Path) || chunk.Count == chunkSize)
            {
                await CommitAsync().ConfigureAwait(false);
            }

            chunk.Add((entry, Conditioned(write, entry, written)));
        }

        await CommitAsync().ConfigureAwait(false);
        var plan = saved.Entries.Select(e => new PlannedWrite(e.Path, e.Action, e.Line)).ToArray();
        var report = new SeedReport
        {
            Seed = definition,
            Outcome = definition.IsMigration ? SeedOutcome.Applied : SeedOutcome.Ensured,
            Plan = plan,
            Created = plan.Count(p => p.Action == PlanAction.Create),
            Skipped = plan.Count(p => p.Action is PlanAction.SkipExists or PlanAction.SkipUnchanged),
            Updated = plan.Count(p => p.Action == PlanAction.Update),
            WriteWindow = window,
            Duration = started.Elapsed,
        };
        if (definition.IsMigration)
        {
            await files.RecordAsync(service, report, earlierAttempt, lease!, cancellationToken).ConfigureAwait(false);
        }

        return report;
    }

    // The plan's write with the precondition of what the plan saw (its own precondition was the dry run's).
    private static DocumentWrite Conditioned(DocumentWrite write, SavedPlanEntry entry, Dictionary<DocumentPath, Timestamp> written)
    {
        var precondition = entry.Seen switch
        {
            SeenState.Absent => Precondition.MustNotExist,
            SeenState.Present => Precondition.UpdatedAt(entry.SeenUpdateTime!.Value),
            _ => written.TryGetValue(entry.Path, out var time)
                ? Precondition.UpdatedAt(time)
                : throw new InvalidOperationException($"{entry.Path}: the plan says an earlier write of the plan wrote it, and none did. The plan file was edited; make a new plan."),
        };
        return write.Kind switch
        {
            WriteKind.Set => DocumentWrite.Set(write.Path, write.Fields, precondition),
            WriteKind.Merge => DocumentWrite.Merge(write.Path, write.Fields, precondition),
            _ => DocumentWrite.Delete(write.Path, precondition),
        };
    }

    [LoggerMessage(40, LogLevel.Information, "{Service} {Seed}: applied from the saved plan, {Writes} write(s)")]
    private partial void LogSeedApplied(string service, string seed, int writes);

    [LoggerMessage(41, LogLevel.Information, "{Service}: the saved plan is stale ({Documents} document(s) changed, {Migrations} migration(s) applied since); nothing more written")]
    private partial void LogStale(string service, int documents, int migrations);
}
