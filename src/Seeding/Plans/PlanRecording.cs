using System.Collections.Concurrent;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Plans;

/// <summary>
/// The store a plan is recorded through: reads pass through, and the first snapshot of each path read (by a batched
/// read or a query) is kept as what the plan saw. A plan writes nothing, so a write here is a bug and throws.
/// </summary>
internal sealed class ObservingStore(IDocumentStore inner) : IDocumentStore
{
    private readonly ConcurrentDictionary<DocumentPath, DocumentSnapshot> _seen = new();

    public string Name => inner.Name;

    public int MaxBatchSize => inner.MaxBatchSize;

    /// <summary>The latest store clock among the reads, if the store tells it.</summary>
    public Timestamp? LatestReadTime { get; private set; }

    public bool TryGetSeen(DocumentPath path, out DocumentSnapshot snapshot) => _seen.TryGetValue(path, out snapshot!);

    public async Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
        Observe(await inner.GetAllAsync(paths, cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
        Observe(await inner.QueryAsync(query, cancellationToken).ConfigureAwait(false));

    public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("A plan writes nothing; a write was attempted while recording one.");

    public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("A plan writes nothing; a commit was attempted while recording one.");

    private IReadOnlyList<DocumentSnapshot> Observe(IReadOnlyList<DocumentSnapshot> snapshots)
    {
        lock (_seen)
        {
            foreach (var snapshot in snapshots)
            {
                _seen.TryAdd(snapshot.Path, snapshot);
                if (snapshot.ReadTime is { } read && (LatestReadTime is not { } latest || read > latest))
                {
                    LatestReadTime = read;
                }
            }
        }

        return snapshots;
    }
}

/// <summary>The writes a dry run planned, kept with the seed file and plan line they belong to (see <see cref="RunRequest"/>).</summary>
internal sealed class PlanCapture
{
    private readonly Dictionary<(SeedDefinition Seed, int PlanIndex), DocumentWrite> _writes = [];

    public void Add(SeedDefinition seed, int planIndex, DocumentWrite write)
    {
        lock (_writes)
        {
            _writes[(seed, planIndex)] = write;
        }
    }

    public DocumentWrite? WriteOf(SeedDefinition seed, int planIndex) => _writes.GetValueOrDefault((seed, planIndex));
}

/// <summary>Turns a recorded dry run into a <see cref="SavedServicePlan"/>.</summary>
internal static class PlanRecording
{
    /// <summary>
    /// The service's plan: each planned document of each planned file, with what the plan's read saw. A document the
    /// run never read (a C# migration's blind write) is read now, in one batched read.
    /// </summary>
    public static async Task<SavedServicePlan> BuildAsync(ServiceSeeds service, RunReport report, PlanCapture capture, ObservingStore store, CancellationToken cancellationToken)
    {
        var planned = report.Seeds.Where(s => s.Outcome == SeedOutcome.Planned).ToArray();
        // Resources that already hold their settings need nothing; any other (to create, to change, building, or
        // without a target, which the history must remember for a later run) cannot be carried by the plan.
        var withResources = planned.FirstOrDefault(s => s.Resources.Any(r => r.Action is not (ResourceAction.SkipExists or ResourceAction.SkipUnchanged)));
        if (withResources is not null)
        {
            throw new InvalidOperationException(
                $"{service.Service} {withResources.Seed}: it declares topics, subscriptions or indexes still to be created, changed or given a target, which a saved plan cannot hold yet. " +
                "Apply it with seeding migrate (without --plan), then make the plan again.");
        }

        var unread = planned.SelectMany(s => s.Plan).Select(p => p.Path).Where(p => !store.TryGetSeen(p, out _)).Distinct().ToArray();
        if (unread.Length > 0)
        {
            await store.GetAllAsync(unread, cancellationToken).ConfigureAwait(false);
        }

        var written = new HashSet<DocumentPath>();
        var seeds = new List<SavedSeedPlan>(planned.Length);
        foreach (var seed in planned)
        {
            var entries = new List<SavedPlanEntry>(seed.Plan.Count);
            for (var i = 0; i < seed.Plan.Count; i++)
            {
                var line = seed.Plan[i];
                var write = capture.WriteOf(seed.Seed, i);
                if (write is null && line.Action is PlanAction.Create or PlanAction.Update)
                {
                    throw new InvalidOperationException($"{service.Service} {seed.Seed}: the planned write of {line.Path} was not captured; the plan cannot be saved.");
                }

                var (seen, updateTime) = Seen(line.Path, write, written, store);
                entries.Add(new SavedPlanEntry(line.Path, line.Action, line.Line, seen, updateTime, write));
                if (write is not null)
                {
                    written.Add(line.Path);
                }
            }

            seeds.Add(new SavedSeedPlan(seed.Seed.ToString(), seed.Seed.Checksum, entries));
        }

        return new SavedServicePlan { Service = service.Service, SeedsChecksum = SavedServicePlan.SeedsChecksumOf(service), Seeds = seeds };
    }

    // A write planned against a snapshot of its own (a backfill's page) carries that snapshot's update time; otherwise
    // the first read of the path is what the plan saw. A path an earlier entry writes is checked through that write.
    private static (SeenState, Timestamp?) Seen(DocumentPath path, DocumentWrite? write, HashSet<DocumentPath> written, ObservingStore store)
    {
        if (written.Contains(path))
        {
            return (SeenState.PlannedEarlier, null);
        }

        if (write?.Precondition.UpdateTime is { } own)
        {
            return (SeenState.Present, own);
        }

        store.TryGetSeen(path, out var snapshot);
        return snapshot is { Exists: true, UpdateTime: { } time } ? (SeenState.Present, time) : (SeenState.Absent, null);
    }
}

/// <summary>A planned run and the plan to save from it.</summary>
/// <param name="Report">The dry run's report, as <c>plan</c> prints it.</param>
/// <param name="Plan">The service's part of the saved plan.</param>
/// <param name="ReadAt">The store's clock at the latest read of the plan, when the store tells it.</param>
public sealed record RecordedPlan(RunReport Report, SavedServicePlan Plan, Timestamp? ReadAt);
