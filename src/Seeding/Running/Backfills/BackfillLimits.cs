namespace Seeding.Running;

/// <summary>The limits of a backfill's partitioning, for callers that check settings before a run (the CLI, the host).</summary>
public static class BackfillLimits
{
    /// <summary>The most partitions a backfill is split into: its records are created in one commit.</summary>
    public const int MaxPartitions = 256;
}
