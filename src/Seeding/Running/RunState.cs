using System.Collections.Concurrent;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Resources;
using Seeding.Store;

namespace Seeding.Running;

/// <summary>What one run carries from file to file, and from the orchestrator to the appliers.</summary>
internal sealed class RunState(
    IDocumentStore store, SeedRunnerOptions options, string service, RunRequest request, Dictionary<DocumentPath, DocumentSnapshot> snapshots, CancellationToken cancellationToken)
{
    public string Service { get; } = service;

    public SeedRunnerOptions Options { get; } = options;

    public RunRequest Request { get; } = request;

    public Dictionary<DocumentPath, DocumentSnapshot> Snapshots { get; } = snapshots;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public LeaseLock? Lease { get; private set; }

    /// <summary>The composite indexes of each collection group, listed once per run (see <see cref="IIndexAdmin.ListIndexesAsync"/>).</summary>
    public Dictionary<string, List<IndexState>> Indexes { get; } = new(StringComparer.Ordinal);

    // A dry run's planned creates and updates of resources, so later steps and files of the run are planned
    // against what the real run would have left, as documents are (nothing is asked of a target twice).
    // (Concurrent: topics, and subscriptions, of one file are ensured several at a time.)
    public ConcurrentDictionary<string, TopicSpec> DryRunTopics { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, SubscriptionSpec> DryRunSubscriptions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FieldOverrideSpec> DryRunFields { get; } = new(StringComparer.Ordinal);

    /// <summary>True when the pending migrations hold more than <see cref="SeedPlanner.StreamChunk"/> documents: their documents are read chunk by chunk as they are applied, not all up front.</summary>
    public bool Streamed { get; set; }

    /// <summary>What this run does while another runner holds the lease: join that runner's backfills (true when it worked on one).</summary>
    public Func<CancellationToken, Task<bool>>? WhileWaiting { get; set; }

    // What this run wrote as a worker of another runner's backfills while it waited for the lease, per migration key:
    // the listed lines (each backfill's first RunRequest.PlanLimit) and the counts of every write.
    private readonly Dictionary<string, List<PlanSummary>> _joined = new(StringComparer.Ordinal);

    /// <summary>Keeps what this run wrote as a worker of another runner's backfill of <paramref name="migrationKey"/>.</summary>
    public void Joined(string migrationKey, PlanSummary plan)
    {
        if (!_joined.TryGetValue(migrationKey, out var list))
        {
            _joined[migrationKey] = list = [];
        }

        list.Add(plan);
    }

    /// <summary>
    /// <paramref name="report"/> with what this run wrote as a worker of that migration's backfill before it got the
    /// lease, so the updates of all runners sum to the documents backfilled (a migration another runner recorded stays
    /// <see cref="SeedOutcome.AlreadyApplied"/>, with this runner's share). Counted from the plans' counts, not their
    /// listed lines, which stop at the plan limit.
    /// </summary>
    public SeedReport WithJoinedWork(SeedReport report)
    {
        if (!_joined.Remove(LeaseLock.KeyOf(report.Seed), out var joined) || joined.Count == 0)
        {
            return report;
        }

        long Count(params PlanAction[] actions) => joined.Sum(p => actions.Sum(a => p.Counts.GetValueOrDefault(a)));
        return report with
        {
            Plan = [.. joined.SelectMany(p => p.Lines), .. report.Plan],
            PlanOmitted = [.. joined.SelectMany(p => p.Omissions), .. report.PlanOmitted],
            Updated = report.Updated + (int)Count(PlanAction.Update),
            Skipped = report.Skipped + (int)Count(PlanAction.SkipExists, PlanAction.SkipUnchanged),
        };
    }

    /// <summary>Takes the lease once per run, announcing the migrations that may start writing under it.</summary>
    public async Task EnsureLeaseAsync(IEnumerable<string>? migrations = null)
    {
        Lease ??= await LeaseLock.AcquireAsync(store, Service, migrations ?? [], Options, CancellationToken, WhileWaiting).ConfigureAwait(false);
    }
}

/// <summary>Where a file's application stands, so a failure (or a cancel) can say what it had done and where it stopped.</summary>
internal sealed class SeedAttempt(SeedDefinition seed)
{
    public SeedDefinition Seed { get; set; } = seed;

    public IReadOnlyList<SkippedStep> Skipped { get; set; } = [];

    public List<PlannedResource> Resources { get; } = [];

    public MigrationContext? Context { get; set; }

    public string Step { get; set; } = "resolve";

    public int? Line { get; set; }

    /// <summary>Where the attempt is, for a failure's report: a step's verb and collection, and its line.</summary>
    public void At(string step, int? line) => (Step, Line) = (step, line);
}

/// <summary>Carries a failed (or cancelled) file's report from <see cref="SeedFileApplier"/> to the run loop.</summary>
internal sealed class SeedFailedException(SeedReport report, Exception cause) : Exception(cause.Message, cause)
{
    public SeedReport Report { get; } = report;
}
