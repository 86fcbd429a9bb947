using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>Backfills seen from the runner: joining another runner's backfill while waiting for the lease, and their progress.</summary>
public sealed partial class SeedRunner
{
    /// <summary>
    /// Where the backfills of a service's unfinished migrations stand, partition by partition: running ones, and
    /// interrupted ones a later run resumes from their checkpoints. Empty when none is in progress. One query; writes nothing.
    /// </summary>
    public async Task<IReadOnlyList<BackfillProgress>> GetBackfillsAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        var headers = new List<DocumentSnapshot>();
        var partitions = new Dictionary<string, List<PartitionProgress>>(StringComparer.Ordinal);
        await foreach (var record in _store.QueryAllAsync(new DocumentQuery(BackfillRecords.CollectionOf(service), []), 500, cancellationToken).ConfigureAwait(false))
        {
            if (FieldReader.OptionalString(record.Fields, "kind") == BackfillRecords.HeaderKind)
            {
                headers.Add(record);
            }
            else if (PartitionRecord.From(record) is { } partition && FieldReader.OptionalString(record.Fields, "backfill") is { } backfill)
            {
                if (!partitions.TryGetValue(backfill, out var list))
                {
                    partitions[backfill] = list = [];
                }

                list.Add(new PartitionProgress(partition.Index, partition.Done, partition.Cursor?.ToString(), partition.Done || partition.Owner.Length == 0 ? null : partition.Owner,
                    partition.Done || partition.Owner.Length == 0 ? null : partition.ExpiresAt, partition.Scanned, partition.Updated, partition.Takeovers));
            }
        }

        return headers.Select(h => new BackfillProgress(
                h.Path.Id,
                FieldReader.OptionalString(h.Fields, "migration") ?? string.Empty,
                FieldReader.OptionalString(h.Fields, "collection") ?? string.Empty,
                (int)(FieldReader.OptionalInteger(h.Fields, "partitions") ?? 0),
                partitions.TryGetValue(h.Path.Id, out var list) ? list.OrderBy(p => p.Index).ToArray() : []))
            .ToArray();
    }

    // While another runner holds the service's lease: work on its backfills of migrations this runner would apply too
    // (YAML steps only: a C# migration's pages are computed by its code, which only the lease holder runs).
    private Func<CancellationToken, Task<bool>>? JoinBackfills(RunState run, IReadOnlyList<SeedDefinition> pending)
    {
        var (service, request) = (run.Service, run.Request);
        if (pending.Count == 0 || request.DryRun)
        {
            return null;
        }

        var byKey = pending.ToDictionary(LeaseLock.KeyOf, StringComparer.Ordinal);
        return async cancellationToken =>
        {
            var headers = await _store.QueryAsync(
                new DocumentQuery(BackfillRecords.CollectionOf(service), [FieldFilter.EqualTo("kind", Value.String(BackfillRecords.HeaderKind))]), cancellationToken).ConfigureAwait(false);
            var worked = false;
            foreach (var header in headers)
            {
                var source = FieldReader.OptionalString(header.Fields, "source") ?? string.Empty;
                if (!byKey.TryGetValue(FieldReader.OptionalString(header.Fields, "migration") ?? string.Empty, out var migration) ||
                    !source.StartsWith("line", StringComparison.Ordinal) || !int.TryParse(source.AsSpan(4), out var line))
                {
                    continue;
                }

                var (resolved, _) = SeedResolver.Resolve(migration, request);
                if (resolved.Steps.OfType<BackfillStep>().FirstOrDefault(s => s.Line == line) is not { } step ||
                    BackfillJob.ForStep(resolved, step) is not { } job || job.Id != header.Path.Id)
                {
                    continue;
                }

                var partitions = (int)(FieldReader.OptionalInteger(header.Fields, "partitions") ?? 1);
                var context = new MigrationContext(service, _store, _logger, dryRun: false);
                if (await new BackfillWorkers(_store, _options, _logger, service)
                    .RunAsync(job, partitions, _options.BackfillWorkers, untilAllDone: false, context, cancellationToken).ConfigureAwait(false))
                {
                    worked = true;
                    run.Joined(job.MigrationKey, context.Plan);
                    LogJoinedBackfill(service, job.Id, context.Plan.Count(p => p.Action == PlanAction.Update));
                }
            }

            return worked;
        };
    }

    [LoggerMessage(44, LogLevel.Information, "{Service}: worked on backfill {Backfill} while another runner holds the migration lease: {Updated} document(s) updated by this runner")]
    private partial void LogJoinedBackfill(string service, string backfill, int updated);
}

/// <summary>Where one backfill stands (<see cref="SeedRunner.GetBackfillsAsync"/>).</summary>
/// <param name="Id">The backfill: <c>{phase}:{migration}:{source}</c>, the source being <c>line{N}</c> for a YAML step or <c>code{N}</c> for a C# migration's N-th partitioned query.</param>
/// <param name="Migration">The migration, as <c>phase/id</c>.</param>
/// <param name="Collection">The collection it reads.</param>
/// <param name="PartitionCount">How many partitions it was split into.</param>
/// <param name="Partitions">Each partition's progress, by index.</param>
public sealed record BackfillProgress(string Id, string Migration, string Collection, int PartitionCount, IReadOnlyList<PartitionProgress> Partitions)
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
