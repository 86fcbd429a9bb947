using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>Backfills seen from the runner: joining another runner's backfill while waiting for the lease, and reading their progress.</summary>
internal sealed partial class BackfillJoiner(IDocumentStore store, SeedRunnerOptions options, ILogger logger, WriteBudget? budget = null)
{
    /// <summary>Every backfill recorded for <paramref name="service"/>, partition by partition (one paged query).</summary>
    public async Task<IReadOnlyList<BackfillStatus>> ReadProgressAsync(string service, CancellationToken cancellationToken)
    {
        var headers = new List<DocumentSnapshot>();
        var partitions = new Dictionary<string, List<PartitionProgress>>(StringComparer.Ordinal);
        await foreach (var record in store.QueryAllAsync(new DocumentQuery(BackfillRecords.CollectionOf(service), []), 500, cancellationToken).ConfigureAwait(false))
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

        return headers.Select(h => new BackfillStatus(
                h.Path.Id,
                FieldReader.OptionalString(h.Fields, "migration") ?? string.Empty,
                FieldReader.OptionalString(h.Fields, "collection") ?? string.Empty,
                (int)(FieldReader.OptionalInteger(h.Fields, "partitions") ?? 0),
                partitions.TryGetValue(h.Path.Id, out var list) ? list.OrderBy(p => p.Index).ToArray() : []))
            .ToArray();
    }

    // While another runner holds the service's lease: work on its backfills of migrations this runner would apply too
    // (YAML steps only: a C# migration's pages are computed by its code, which only the lease holder runs).
    public Func<CancellationToken, Task<bool>>? JoinBackfills(RunState run, IReadOnlyList<SeedDefinition> pending)
    {
        var (service, request) = (run.Service, run.Request);
        if (pending.Count == 0 || request.DryRun)
        {
            return null;
        }

        var byKey = pending.ToDictionary(LeaseLock.KeyOf, StringComparer.Ordinal);
        return async cancellationToken =>
        {
            var headers = await store.QueryAsync(
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
                // The plan lists the request's first documents and counts the rest, as the holder's does: a joiner that
                // backfills most of a huge collection holds a small report (its memory stays flat).
                var context = new MigrationContext(service, store, logger, dryRun: false, planLimit: request.PlanLimit, budget: budget);
                context.BeginStep($"{step.Verb} {step.Collection}", step.Line);
                // This runner's workers count and pace what they write under its own budget (its share from the leases).
                var meter = new BackfillMeter(service, resolved, $"{step.Verb} {step.Collection}", step.Line, dryRun: false, budget, options);
                if (await new BackfillWorkers(store, options, logger, service)
                    .RunAsync(job, partitions, options.BackfillWorkers, untilAllDone: false, context, meter, cancellationToken).ConfigureAwait(false))
                {
                    worked = true;
                    var summary = context.Summary();
                    run.Joined(job.MigrationKey, summary);
                    LogJoinedBackfill(service, job.Id, summary.Counts.GetValueOrDefault(PlanAction.Update));
                }
            }

            return worked;
        };
    }

    [LoggerMessage(44, LogLevel.Information, "{Service}: worked on backfill {Backfill} while another runner holds the migration lease: {Updated} document(s) updated by this runner")]
    private partial void LogJoinedBackfill(string service, string backfill, long updated);
}
