using Seeding.Resources;

namespace Seeding.Store;

/// <summary>
/// What a store offers beyond documents, handed to the runner explicitly (<see cref="Running.SeedRunnerOptions.Capabilities"/>)
/// by whoever opened the store: the host (<c>AddSeeding</c>) and the <c>seeding</c> command do it for the stores they open.
/// The runner never looks for these by casting the store; what is not given here is not used.
/// </summary>
public sealed record StoreCapabilities
{
    /// <summary>A store that offers nothing beyond documents (SQLite, in-memory).</summary>
    public static StoreCapabilities None { get; } = new();

    /// <summary>Where <c>index</c> and <c>field_override</c> steps go (Firestore in production); null reports them as having no target.</summary>
    public IIndexAdmin? Indexes { get; init; }

    /// <summary>Counts store calls retried after transient faults, for <see cref="Running.RunReport.Retries"/>; null counts none.</summary>
    public IRetryCountingStore? RetryCounter { get; init; }

    /// <summary>Reports the write-rate ramp, for <see cref="Running.RunReport.WriteRampActive"/>; null reports none.</summary>
    public IWriteRampStore? WriteRamp { get; init; }

    /// <summary>Takes several write batches at once (<see cref="IConcurrentWriteBatchStore.MaxWriteBatchesInFlight"/>); null sends one at a time.</summary>
    public IConcurrentWriteBatchStore? ConcurrentWrites { get; init; }

    /// <summary>
    /// Reads from one consistent snapshot and counts a query's documents without reading them (<c>seeding diff</c>, a
    /// backfill's ETA); null: reads call by call, and the ETA is unknown.
    /// </summary>
    public ISnapshotReadStore? Snapshots { get; init; }

    /// <summary>Reports refusals for capacity and takes this process's share of the write rate (<see cref="IWriteThrottleStore"/>), for the write budget; null: neither.</summary>
    public IWriteThrottleStore? Throttling { get; init; }

    /// <summary>Lists subcollections and collection groups (<c>seeding pull --recursive</c>, <c>--collection-group</c>); null offers neither.</summary>
    public IHierarchyStore? Hierarchy { get; init; }
    /// <summary>Splits a collection into partitions for backfills read by several workers (<see cref="IPartitionQueryStore"/>); null runs each backfill as one partition.</summary>
    public IPartitionQueryStore? Partitions { get; init; }

    /// <summary>Reads a whole query as one stream (<see cref="IStreamingQueryStore"/>, Firestore); null: page by page. <see cref="DocumentStorePaging.QueryAllAsync"/> asks the store itself.</summary>
    public IStreamingQueryStore? Streaming { get; init; }
}
