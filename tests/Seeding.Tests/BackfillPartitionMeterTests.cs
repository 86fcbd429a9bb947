using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>The partitioned backfill's workers share one meter (counts, progress, ETA) and take their share of the write budget.</summary>
public class BackfillPartitionMeterTests
{
    [Fact]
    public async Task Four_workers_report_one_progress_with_every_document_and_the_count_for_the_eta()
    {
        var store = new InMemoryDocumentStore();
        // 300 pending (the store's query), of which 60 carry a note (left alone: the null condition is checked as read).
        await store.WriteBatchAsync(Enumerable.Range(0, 400).Select(i => DocumentWrite.Set(DocumentPath.Create("items", $"i{i:D5}"), i % 5 == 0
            ? new Dictionary<string, Value> { ["status"] = Value.String(i % 4 == 0 ? "done" : "pending"), ["note"] = Value.String("keep") }
            : new Dictionary<string, Value> { ["status"] = Value.String(i % 4 == 0 ? "done" : "pending") })).ToArray());
        var step = SeedStep.Backfill("items", 3, new Dictionary<string, Value> { ["status"] = Value.String("pending"), ["note"] = Value.Null },
            new Dictionary<string, Value> { ["status"] = Value.String("migrated") });
        var service = new ServiceSeeds("svc-meter", [], [Migration("0001_backfill", SeedPhase.Post, "sha256:meter", step)]);
        var reports = new List<BackfillProgress>();
        var options = new SeedRunnerOptions
        {
            Capabilities = new StoreCapabilities { Partitions = store, Snapshots = store },
            BackfillWorkers = 4,
            BackfillPartitions = 8,
            BackfillBatchSize = 20,
            MaxWritesPerSecond = 100_000,
            BackfillProgress = new Collect(reports),
            BackfillProgressInterval = TimeSpan.Zero,
        };

        var report = await new SeedRunner(store, options: options).RunAsync(service, RunRequest.PostDeploy());

        Assert.Equal(240, report.Updated);
        var last = reports[^1];
        Assert.True(last.Completed);
        Assert.Equal((300L, 240L, 60L, 300L), (last.Scanned, last.Updated, last.Skipped, last.Total));
        Assert.Single(reports, r => r.Completed);
        Assert.True(reports.Count > 2, $"{reports.Count} reports"); // the workers report as batches commit, not only at the end
    }

    [Fact]
    public void The_budget_share_is_this_owners_held_partitions_over_all_held_under_a_live_lease()
    {
        var now = Timestamp.FromUnixMicroseconds(1_000_000_000);
        var live = Timestamp.FromUnixMicroseconds(2_000_000_000);
        var expired = Timestamp.FromUnixMicroseconds(500_000_000);
        PartitionRecord Record(int index, string owner, Timestamp? expiresAt) =>
            new(DocumentPath.Create("locks", $"p{index}"), index, null, null, null, false, owner, expiresAt, 1, 0, 0, 0, now);

        // Claiming with nobody else working: the whole budget.
        Assert.Equal(1.0, BackfillWorkers.ShareOf([Record(0, "", null), Record(1, "", null)], now, "me"));
        // Two other live workers (one process) and one of ours already: ours two of four.
        Assert.Equal(0.5, BackfillWorkers.ShareOf([Record(0, "other", live), Record(1, "other", live), Record(2, "me", live), Record(3, "", null)], now, "me"));
        // An expired lease is no active worker.
        Assert.Equal(0.5, BackfillWorkers.ShareOf([Record(0, "other", live), Record(1, "dead", expired)], now, "me"));
    }

    private sealed class Collect(List<BackfillProgress> reports) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
