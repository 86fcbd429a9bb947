namespace Seeding.Cli.Commands;

/// <summary>What <c>migrate</c> or <c>plan</c> was asked to do, as parsed.</summary>
internal sealed record MigrateInvocation
{
    public required string CommandName { get; init; }

    public required ServiceSelection Services { get; init; }

    public string? Phase { get; init; }

    public bool? DryRunOption { get; init; }

    public bool ForcedDryRun { get; init; }

    public string? Environment { get; init; }

    public bool Verbose { get; init; }

    public TimeSpan? LockTimeout { get; init; }

    /// <summary>Run post-deploy migrations even while pre-deploy ones are pending (otherwise refused with exit code 5).</summary>
    public bool AllowPendingPre { get; init; }

    /// <summary>Wait for Firestore index builds to finish (and fail if one fails) instead of reporting them as building.</summary>
    public bool WaitForIndexes { get; init; }

    /// <summary><c>--max-writes-per-second</c>: the write budget across all workers; null: <c>Seeding:MaxWritesPerSecond</c>, else none.</summary>
    public double? MaxWritesPerSecond { get; init; }

    /// <summary><c>--plan-limit</c>: documents listed per step in the plan; null: the runtime's default.</summary>
    public int? PlanLimit { get; init; }

    /// <summary><c>--progress</c>: auto, bar, lines, json or none.</summary>
    public string Progress { get; init; } = "auto";

    /// <summary>How this process works on backfills (<c>--workers</c>, <c>--partitions</c>).</summary>
    public BackfillArguments Backfill { get; init; } = new();

    public required StoreArguments Store { get; init; }

    public bool Json { get; init; }

    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary><c>plan --out</c>: where to save the plan for <c>migrate --plan</c>.</summary>
    public string? PlanOut { get; init; }

    /// <summary><c>migrate --plan</c>: the saved plan to apply exactly.</summary>
    public string? PlanFile { get; init; }
}

/// <summary>What <c>status</c> or <c>verify</c> was asked to do, as parsed.</summary>
internal sealed record StatusInvocation
{
    public bool Verify { get; init; }

    /// <summary><c>status --drift</c>: also compare the live data with the seeds (one more snapshot read).</summary>
    public bool Drift { get; init; }

    public required ServiceSelection Services { get; init; }

    public required StoreArguments Store { get; init; }

    public bool Json { get; init; }

    public IReadOnlyList<string> Assemblies { get; init; } = [];
}

/// <summary>What <c>new</c> was asked to do, as parsed.</summary>
internal sealed record NewInvocation
{
    public required string Name { get; init; }

    public required string Phase { get; init; }

    public string? ServiceDirectory { get; init; }

    public bool Json { get; init; }
}
