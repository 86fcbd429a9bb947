using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>
/// The report of a runner that joined another runner's backfill as a worker: its updates counted in full, its plan
/// listing at most the request's plan limit (the rest counted), so a joiner that backfills most of a huge collection
/// holds a small report, as the lease holder does.
/// </summary>
public class BackfillJoinerReportTests
{
    [Fact]
    public async Task A_joiners_report_counts_every_update_and_lists_at_most_the_plan_limit()
    {
        var inner = new InMemoryDocumentStore();
        foreach (var chunk in Enumerable.Range(0, 2000).Chunk(500))
        {
            await inner.WriteBatchAsync(chunk.Select(i => DocumentWrite.Set(DocumentPath.Create("items", $"i{i:D5}"), new Dictionary<string, Value>
            {
                ["status"] = Value.String("pending"),
            })).ToArray());
        }

        var service = new ServiceSeeds("svc-join-report", [], [Migration("0001_backfill", SeedPhase.Post, "sha256:bf", SeedStep.Backfill("items", 3,
            new Dictionary<string, Value> { ["status"] = Value.String("pending") }, new Dictionary<string, Value> { ["status"] = Value.String("migrated") }))]);
        var options = new SeedRunnerOptions
        {
            Capabilities = new StoreCapabilities { Partitions = inner }, BackfillPartitions = 8, BackfillBatchSize = 20, LockPollInterval = TimeSpan.FromMilliseconds(10),
        };
        var request = RunRequest.PostDeploy() with { PlanLimit = 10 };

        // Both runners' batches are slowed, so the second finds the lease held and joins while partitions are left.
        var first = new SeedRunner(new SlowBackfillStore(inner), options: options with { Owner = "holder" }).RunAsync(service, request);
        while ((await inner.QueryAsync(new DocumentQuery(BackfillRecords.CollectionOf("svc-join-report"), []))).Count == 0)
        {
            await Task.Delay(5);
        }

        var joinerReport = (await new SeedRunner(new SlowBackfillStore(inner), options: options with { Owner = "joiner" }).RunAsync(service, request)).Seeds.Single();
        var holderReport = (await first).Seeds.Single();

        Assert.Equal(SeedOutcome.AlreadyApplied, joinerReport.Outcome);
        Assert.True(joinerReport.Updated > 10, $"the joiner updated {joinerReport.Updated} documents; the test needs it past the plan limit");
        Assert.Equal(2000, holderReport.Updated + joinerReport.Updated);
        Assert.True(joinerReport.Plan.Count <= 10, $"the joiner's report lists {joinerReport.Plan.Count} documents, past the plan limit of 10");
        var omitted = Assert.Single(joinerReport.PlanOmitted);
        Assert.Equal(("backfill items", 3), (omitted.Step, omitted.Line));
        Assert.Equal(joinerReport.Updated, joinerReport.Plan.Count + omitted.Count);
        Assert.Equal(2000, (await inner.QueryAsync(new DocumentQuery("items", []))).Count(d => d.Fields["status"].AsString() == "migrated"));
    }

    /// <summary>Delays each backfill batch commit (a checkpoint merge rides with it) by 15 ms.</summary>
    private sealed class SlowBackfillStore(InMemoryDocumentStore inner) : IDocumentStore
    {
        public string Name => inner.Name;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) => inner.GetAllAsync(paths, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) => inner.WriteBatchAsync(writes, cancellationToken);

        public async Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (writes.Count > 1 && writes.Any(w => w.Path.Collection.EndsWith("/" + BackfillRecords.Subcollection, StringComparison.Ordinal)))
            {
                await Task.Delay(15, cancellationToken);
            }

            return await inner.CommitAsync(writes, cancellationToken);
        }

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
    }
}
