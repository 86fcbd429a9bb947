using Seeding.Definitions;
using Seeding.Documents;

namespace Seeding.Running;

/// <summary>What a run did (or, in a dry run, would do) to one document.</summary>
public enum PlanAction
{
    /// <summary>The document is absent and is created.</summary>
    Create,

    /// <summary>The document exists and is left alone (create verb).</summary>
    SkipExists,

    /// <summary>The document exists and its declared fields are written (upsert verb).</summary>
    Update,

    /// <summary>The document exists and already holds the declared values (upsert verb).</summary>
    SkipUnchanged,
}

/// <summary>One line of a plan: a document, what happens to it, and the YAML line that declares it.</summary>
/// <param name="Path">The document.</param>
/// <param name="Action">What happens to it.</param>
/// <param name="Line">The 1-based YAML line of the document.</param>
public sealed record PlannedWrite(DocumentPath Path, PlanAction Action, int Line);

/// <summary>How a seed file ended in a run.</summary>
public enum SeedOutcome
{
    /// <summary>A pending migration was applied and recorded in history.</summary>
    Applied,

    /// <summary>A migration was already in history with the same checksum; nothing was read or written for it.</summary>
    AlreadyApplied,

    /// <summary>A bootstrap seed was ensured: missing documents created, the rest left alone.</summary>
    Ensured,

    /// <summary>Dry run: the plan was computed and nothing was written.</summary>
    Planned,

    /// <summary>
    /// The file failed while being applied (<see cref="SeedReport.Failure"/> says where and why). Writes the store
    /// confirmed before the failure stay; a migration is not recorded in history, so it is still pending.
    /// </summary>
    Failed,

    /// <summary>
    /// The run was cancelled while this file was applied (<see cref="SeedReport.Failure"/> says at which step). Writes the
    /// store confirmed stay; a migration is not recorded in history, so it is still pending and the next run applies it.
    /// </summary>
    Cancelled,
}

/// <summary>The report of one seed file in one run.</summary>
public sealed record SeedReport
{
    /// <summary>The seed file.</summary>
    public required SeedDefinition Seed { get; init; }

    /// <summary>How it ended.</summary>
    public required SeedOutcome Outcome { get; init; }

    /// <summary>
    /// Per document: what was (or would be) done, in YAML order; at most <see cref="RunRequest.PlanLimit"/> documents of
    /// each step, the rest counted in <see cref="PlanOmitted"/>. <see cref="Created"/>, <see cref="Skipped"/> and
    /// <see cref="Updated"/> count every document.
    /// </summary>
    public required IReadOnlyList<PlannedWrite> Plan { get; init; }

    /// <summary>Per step whose documents passed <see cref="RunRequest.PlanLimit"/>: how many more it counted without listing them ("... and 123,456 more").</summary>
    public IReadOnlyList<PlanOmission> PlanOmitted { get; init; } = [];

    /// <summary>Every document's action, listed in <see cref="Plan"/> or not, for the metrics; null: count <see cref="Plan"/>.</summary>
    internal IReadOnlyDictionary<PlanAction, long>? ActionCounts { get; init; }

    /// <summary>Per resource step (topics, subscriptions, indexes, field overrides): what was (or would be) done, in YAML order.</summary>
    public IReadOnlyList<PlannedResource> Resources { get; init; } = [];

    /// <summary>Steps left out by <c>when</c> or <c>environments</c>, with the reason.</summary>
    public IReadOnlyList<SkippedStep> SkippedSteps { get; init; } = [];

    /// <summary>Documents created.</summary>
    public int Created { get; init; }

    /// <summary>Documents left alone because they existed or already held the values.</summary>
    public int Skipped { get; init; }

    /// <summary>Documents updated (upsert).</summary>
    public int Updated { get; init; }

    /// <summary>The store's commit times of the first and last write, recorded in history so a revert knows what this run created.</summary>
    public (Values.Timestamp First, Values.Timestamp Last)? WriteWindow { get; init; }

    /// <summary>Wall time spent on this file.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Where and why the file stopped; set only when <see cref="Outcome"/> is <see cref="SeedOutcome.Failed"/> or <see cref="SeedOutcome.Cancelled"/>.</summary>
    public SeedFailure? Failure { get; init; }

    /// <summary>How many resources of this file got <paramref name="action"/> (e.g. <see cref="ResourceAction.Create"/>); document counts are <see cref="Created"/>, <see cref="Skipped"/>, <see cref="Updated"/>.</summary>
    public int ResourceCount(ResourceAction action) => Resources.Count(r => r.Action == action);
}

/// <summary>Where a seed file failed and why.</summary>
/// <param name="Exception">The cause, as thrown by the store, the seed's C# code or the runtime.</param>
/// <param name="Step">
/// What was being done: a step's verb and collection (e.g. <c>create users</c>), <c>code</c> for a C# migration's
/// own code, <c>history</c> for recording the applied migration, or <c>resolve</c> for reading its configuration values.
/// </param>
/// <param name="Line">The YAML line of the step; null when the failure is not in a YAML step.</param>
public sealed record SeedFailure(Exception Exception, string Step, int? Line)
{
    /// <summary>The cause's message.</summary>
    public string Message => Exception.Message;
}

/// <summary>The report of one run over one service.</summary>
/// <param name="Service">The service.</param>
/// <param name="DryRun">True when nothing was written.</param>
/// <param name="Seeds">Per seed file, in the order they ran.</param>
/// <param name="Duration">Wall time of the whole run.</param>
public sealed record RunReport(string Service, bool DryRun, IReadOnlyList<SeedReport> Seeds, TimeSpan Duration)
{
    /// <summary>Documents created in the run.</summary>
    public int Created => Seeds.Sum(s => s.Created);

    /// <summary>Documents skipped in the run.</summary>
    public int Skipped => Seeds.Sum(s => s.Skipped);

    /// <summary>Documents updated in the run.</summary>
    public int Updated => Seeds.Sum(s => s.Updated);

    /// <summary>The whole plan, file by file.</summary>
    public IEnumerable<PlannedWrite> Plan => Seeds.SelectMany(s => s.Plan);

    /// <summary>The whole resource plan (topics, subscriptions, indexes, field overrides), file by file.</summary>
    public IEnumerable<PlannedResource> Resources => Seeds.SelectMany(s => s.Resources);

    /// <summary>How many resources got <paramref name="action"/> in the run (e.g. <see cref="ResourceAction.NoTarget"/>), over every file.</summary>
    public int ResourceCount(ResourceAction action) => Seeds.Sum(s => s.ResourceCount(action));

    /// <summary>The file that failed (the last entry of <see cref="Seeds"/>), in the partial report a <see cref="SeedRunException"/> carries; null when the run succeeded.</summary>
    public SeedReport? Failed => Seeds.FirstOrDefault(s => s.Outcome == SeedOutcome.Failed);

    /// <summary>The file a cancel interrupted (the last entry of <see cref="Seeds"/>), in the partial report a <see cref="SeedRunCanceledException"/> carries; null otherwise.</summary>
    public SeedReport? Cancelled => Seeds.FirstOrDefault(s => s.Outcome == SeedOutcome.Cancelled);

    /// <summary>
    /// Pre-deploy migrations found pending by a dry run of post-deploy migrations without them: the plan assumes they stay
    /// unapplied (a real run refuses, see <see cref="RunRequest.AllowPendingPreDeploy"/>). Empty otherwise.
    /// </summary>
    public IReadOnlyList<SeedDefinition> PendingPreDeploy { get; init; } = [];

    /// <summary>
    /// Store calls sent again after a transient fault during the run, as counted by a store that implements
    /// <see cref="Store.IRetryCountingStore"/> given in <see cref="SeedRunnerOptions.Capabilities"/> (0 otherwise). A store shared by concurrent runs counts theirs too.
    /// </summary>
    public long Retries { get; init; }

    /// <summary>
    /// True when the store paced this run's batched writes by a write-rate ramp (Firestore in production by default; see
    /// <see cref="Store.IWriteRampStore"/>).
    /// </summary>
    public bool WriteRampActive { get; init; }

    /// <summary>How long this run's writes waited for the write-rate ramp (zero when it was off or never had to wait).</summary>
    public TimeSpan WriteRampWait { get; init; }
}
