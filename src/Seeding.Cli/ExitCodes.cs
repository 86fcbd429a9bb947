namespace Seeding.Cli;

/// <summary>The exit codes of the <c>seeding</c> command line; scripts and CI may rely on them.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done (or, for a dry run, planned).</summary>
    public const int Ok = 0;

    /// <summary>The run failed: a store error, a bad seed, a dependency cycle, an unreadable assembly.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown option, bad value, no service chosen, a refused name.</summary>
    public const int Usage = 2;

    /// <summary>An applied migration changed since it was applied (migrate refused, or verify found drift).</summary>
    public const int Drift = 3;

    /// <summary>Another runner held the service's migration lock for longer than the wait allowed.</summary>
    public const int LockTimeout = 4;

    /// <summary>
    /// <c>--phase post</c> refused: pre-deploy migrations of the service are still pending (run <c>--phase pre</c> first, or
    /// pass <c>--allow-pending-pre</c>). Nothing was written.
    /// </summary>
    public const int PendingPreDeploy = 5;

    /// <summary>The run was cancelled (Ctrl+C or SIGTERM); what was applied before stays applied and recorded, the lease is released, and the report says what the interrupted file wrote.</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// <c>migrate --plan</c> refused a stale plan: a planned document changed, or a planned migration was applied, since
    /// the plan read them. Nothing more was written, the migration stays pending, and the error names the documents:
    /// make a new plan and review it. (A plan for another store, other services or another build of the seeds is a
    /// <see cref="Usage"/> error: the wrong file for this deploy.)
    /// </summary>
    public const int StalePlan = 6;

    /// <summary>
    /// <c>pull</c> found nothing to write: the collection is empty or does not exist, no document matches <c>--where</c>, or an
    /// <c>--ids</c> document is missing. Nothing was written.
    /// </summary>
    public const int NothingPulled = 7;

    /// <summary>
    /// <c>diff --detailed-exitcode</c>: the live data differs from what the seeds declare (Terraform's convention: 0 no
    /// drift, 1 error, 2 drift). With that flag every error, a usage error included, exits 1.
    /// </summary>
    public const int DiffDrift = 2;
}
