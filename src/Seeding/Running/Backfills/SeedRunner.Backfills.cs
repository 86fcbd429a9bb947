using Seeding.Definitions;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>Backfills seen from the runner (<see cref="BackfillJoiner"/>).</summary>
public sealed partial class SeedRunner
{
    /// <summary>
    /// Where the backfills of a service's unfinished migrations stand, partition by partition: running ones, and
    /// interrupted ones a later run resumes from their checkpoints. Empty when none is in progress. One query; writes nothing.
    /// </summary>
    public Task<IReadOnlyList<BackfillStatus>> GetBackfillsAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return new BackfillJoiner(_store, _options, _logger).ReadProgressAsync(service, cancellationToken);
    }

    // While another runner holds the service's lease: work on its backfills (see BackfillJoiner.JoinBackfills).
    private Func<CancellationToken, Task<bool>>? JoinBackfills(RunState run, IReadOnlyList<SeedDefinition> pending) =>
        new BackfillJoiner(_store, _options, _logger, _files.Budget).JoinBackfills(run, pending);
}

/// <summary>Where one backfill stands (<see cref="SeedRunner.GetBackfillsAsync"/>).</summary>
/// <param name="Id">The backfill: <c>{phase}:{migration}:{source}</c>, the source being <c>line{N}</c> for a YAML step or <c>code{N}</c> for a C# migration's N-th partitioned query.</param>
/// <param name="Migration">The migration, as <c>phase/id</c>.</param>
/// <param name="Collection">The collection it reads.</param>
/// <param name="PartitionCount">How many partitions it was split into.</param>
/// <param name="Partitions">Each partition's progress, by index.</param>
public sealed record BackfillStatus(string Id, string Migration, string Collection, int PartitionCount, IReadOnlyList<PartitionProgress> Partitions)
{
    /// <summary>Partitions finished.</summary>
    public int Done => Partitions.Count(p => p.Done);

    /// <summary>Documents read in committed batches, over all partitions.</summary>
    public long Scanned => Partitions.Sum(p => p.Scanned);

    /// <summary>Documents written in committed batches, over all partitions.</summary>
    public long Updated => Partitions.Sum(p => p.Updated);
}

/// <summary>Where one partition of a backfill stands.</summary>
/// <param name="Index">Its index, from 0.</param>
/// <param name="Done">True when it is finished.</param>
/// <param name="Cursor">Its checkpoint: the path of the last document of its last committed batch; null before the first.</param>
/// <param name="Owner">The worker holding it (its lease may have expired: see <paramref name="ExpiresAt"/>); null when none holds it.</param>
/// <param name="ExpiresAt">When its owner's lease expires by the store's clock unless renewed; null when none holds it.</param>
/// <param name="Scanned">Documents read in its committed batches.</param>
/// <param name="Updated">Documents written in its committed batches.</param>
/// <param name="Takeovers">How often it was taken over from a worker whose lease expired.</param>
public sealed record PartitionProgress(int Index, bool Done, string? Cursor, string? Owner, Timestamp? ExpiresAt, long Scanned, long Updated, long Takeovers);
