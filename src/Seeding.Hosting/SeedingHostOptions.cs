namespace Seeding.Hosting;

/// <summary>
/// How a service seeds itself on startup. Bound from the configuration section <c>Seeding</c>
/// (e.g. <c>Seeding__ApplyPreDeployMigrations=true</c> as an environment variable). The store is chosen by
/// <see cref="SeedingStores"/> (keys <c>Seeding:Store</c>, <c>Seeding:Sqlite:Path</c>, <c>Seeding:Firestore:*</c>).
/// The seed runner's variables work as they do for <c>seeding migrate</c>: <c>MIGRATION_PHASE</c>, when set, picks the
/// phases (before <see cref="Phases"/>, <see cref="Bootstrap"/> and <see cref="ApplyPreDeployMigrations"/>);
/// <c>DRY_RUN=true</c> makes the run a dry run.
/// </summary>
public sealed class SeedingHostOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Seeding";

    /// <summary>
    /// Which phases the startup run applies: <c>pre</c>, <c>post</c>, <c>bootstrap</c> or <c>all</c>, as
    /// <c>MIGRATION_PHASE</c> says them (which wins when both are set). When set, <see cref="Bootstrap"/> and
    /// <see cref="ApplyPreDeployMigrations"/> are not read. Default unset.
    /// </summary>
    public string? Phases { get; set; }

    /// <summary>Ensure the bootstrap seeds before the host serves. Default true.</summary>
    public bool Bootstrap { get; set; } = true;

    /// <summary>
    /// Also apply pending pre-deploy migrations before the host serves (exactly once across replicas, under the
    /// lease lock). Default false: most teams run migrations from the deploy pipeline with <c>seeding migrate</c>.
    /// </summary>
    public bool ApplyPreDeployMigrations { get; set; }

    /// <summary>Compute and log the plan but write nothing. Default false; <c>DRY_RUN=true</c> also turns it on.</summary>
    public bool DryRun { get; set; }

    /// <summary>
    /// Run post-deploy migrations (<c>MIGRATION_PHASE=post</c>) even while pre-deploy migrations of the service are
    /// pending. Default false: the host refuses them as <c>seeding migrate --phase post</c> does (see
    /// <see cref="Running.RunRequest.AllowPendingPreDeploy"/>), and the refusal is a startup failure.
    /// </summary>
    public bool AllowPendingPreDeploy { get; set; }

    /// <summary>
    /// The write budget of the startup run, in document writes per second across every worker
    /// (<see cref="Running.SeedRunnerOptions.MaxWritesPerSecond"/>, as <c>seeding migrate --max-writes-per-second</c>).
    /// Default unset: unlimited until the store refuses writes for capacity.
    /// </summary>
    public double? MaxWritesPerSecond { get; set; }

    /// <summary>Stop the host from starting when seeding fails. Default true: a service without its seed data is not healthy.</summary>
    public bool FailStartupOnError { get; set; } = true;

    /// <summary>
    /// How a failed start stops the host. Default true: seeding logs the failure once (without a stack trace when it is
    /// one Seeding reports on purpose: drift, a lock timeout, a bad setting, a refused phase), sets the process exit code
    /// to 1 and stops the application as soon as it has started, so <c>app.Run()</c> in the plain web template ends
    /// with exit code 1 instead of an unhandled-exception abort. False: the failure is thrown from
    /// <c>IHost.StartAsync</c> (the generic host logs it), for a <c>Program.cs</c> that catches it.
    /// </summary>
    public bool StopApplicationOnFailure { get; set; } = true;

    /// <summary>The health check's options (<c>Seeding:Health</c>): <see cref="SeedingHealthOptions.CheckDrift"/> and its interval.</summary>
    public SeedingHealthOptions Health { get; set; } = new();

    /// <summary>How this host works on backfills (<c>Seeding:Backfill:Workers</c>, <c>Seeding:Backfill:Partitions</c>).</summary>
    public SeedingBackfillOptions Backfill { get; set; } = new();
}
