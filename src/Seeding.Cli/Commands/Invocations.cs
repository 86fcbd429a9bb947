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

    /// <summary>How this process works on backfills (<c>--workers</c>, <c>--partitions</c>).</summary>
    public BackfillArguments Backfill { get; init; } = new();

    public required StoreArguments Store { get; init; }

    public bool Json { get; init; }

    public IReadOnlyList<string> Assemblies { get; init; } = [];
}

/// <summary>What <c>status</c> or <c>verify</c> was asked to do, as parsed.</summary>
internal sealed record StatusInvocation
{
    public bool Verify { get; init; }

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
