using Microsoft.Extensions.Configuration;
using Seeding.Definitions;

namespace Seeding.Running;

/// <summary>What one run should do: which phases, and whether to write anything.</summary>
public sealed record RunRequest
{
    /// <summary>The phases to run; they run in the order pre, bootstrap, post whatever the order given.</summary>
    public required IReadOnlyCollection<SeedPhase> Phases { get; init; }

    /// <summary>When true nothing at all is written (history included) and the report holds the exact plan.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Where <c>!env NAME</c> values and <c>when:</c> conditions are read (environment variables included).
    /// Null reads process environment variables only.
    /// </summary>
    public IConfiguration? Configuration { get; init; }

    /// <summary>The current environment (e.g. <c>dev</c>, <c>staging</c>), matched against <c>environments:</c>; null when none is known.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// When true, a run that starts building a Firestore index (or changing a field override) waits until it is done
    /// and fails if the build fails. By default it reports the index as <see cref="ResourceAction.Building"/> and goes on.
    /// </summary>
    public bool WaitForIndexes { get; init; }

    /// <summary>
    /// When false (the default), a run of post-deploy migrations without the pre-deploy phase is refused with
    /// <see cref="PendingPreDeployException"/>, writing nothing, while a pre-deploy migration of the service is pending;
    /// a dry run plans anyway and lists them in <see cref="RunReport.PendingPreDeploy"/>. True runs them anyway.
    /// </summary>
    public bool AllowPendingPreDeploy { get; init; }

    /// <summary>
    /// How many documents of each step a report lists one by one (<see cref="SeedReport.Plan"/>); the rest are counted
    /// (<see cref="SeedReport.PlanOmitted"/>), so a dry run or a run of a huge backfill holds a small report whatever its
    /// size. Default <see cref="DefaultPlanLimit"/>; 0 lists none.
    /// </summary>
    public int PlanLimit
    {
        get => _planLimit;
        init => _planLimit = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(PlanLimit), value, "The plan limit is zero or more documents per step.");
    }

    private readonly int _planLimit = DefaultPlanLimit;

    /// <summary>The documents of each step a report lists unless <see cref="PlanLimit"/> says otherwise: 1,000.</summary>
    public const int DefaultPlanLimit = 1000;

    /// <summary>Receives a notice as each seed file starts and ends, for progress displays.</summary>
    public IProgress<SeedProgress>? Progress { get; init; }

    /// <summary>Collects a dry run's writes when the plan is saved (<see cref="SeedRunner.RecordPlanAsync"/>).</summary>
    internal Plans.PlanCapture? Capture { get; init; }

    /// <summary>Pre-deploy migrations only.</summary>
    public static RunRequest PreDeploy(bool dryRun = false) => new() { Phases = [SeedPhase.Pre], DryRun = dryRun };

    /// <summary>Post-deploy migrations only.</summary>
    public static RunRequest PostDeploy(bool dryRun = false) => new() { Phases = [SeedPhase.Post], DryRun = dryRun };

    /// <summary>Bootstrap seeds only (what a service ensures on every start).</summary>
    public static RunRequest Bootstrap(bool dryRun = false) => new() { Phases = [SeedPhase.Bootstrap], DryRun = dryRun };

    /// <summary>Everything: pre-deploy migrations, bootstrap seeds, post-deploy migrations.</summary>
    public static RunRequest All(bool dryRun = false) => new() { Phases = SeedRunner.PhaseOrder, DryRun = dryRun };
}

/// <summary>A progress notice: a seed file started (<see cref="Report"/> is null) or finished.</summary>
/// <param name="Service">The service.</param>
/// <param name="Seed">The seed file.</param>
/// <param name="Index">Its 1-based position in this run.</param>
/// <param name="Total">How many seed files this run handles.</param>
/// <param name="Report">The file's report once it has finished.</param>
public sealed record SeedProgress(string Service, SeedDefinition Seed, int Index, int Total, SeedReport? Report);
