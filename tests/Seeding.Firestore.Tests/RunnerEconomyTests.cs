using System.Diagnostics;
using Seeding.Definitions;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using Xunit.Abstractions;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// What SeedRunner costs on Firestore at scale, counted at the gRPC layer: RPCs per chunk (1000 paths per
/// BatchGetDocuments, 500 writes per BatchWrite, 500 documents per RunQuery page), never per document.
/// </summary>
public sealed class RunnerEconomyTests(ITestOutputHelper output)
{
    public const int Documents = 10_000;

    // A lease far longer than the run: no renewal commit lands mid-run, so the Commit count is exact.
    private static readonly SeedRunnerOptions Runner = new() { LockTtl = TimeSpan.FromMinutes(10) };

    /// <summary>One migration creating <paramref name="count"/> documents in <c>items</c> (as the generator would emit it).</summary>
    public static SeedDefinition CreateItems(int count = Documents) => new(
        "0001_items",
        SeedPhase.Pre,
        $"sha256:items-{count}",
        "migrations/pre/0001_items.yaml",
        $"{count} items",
        [SeedStep.Create("items", 2, Enumerable.Range(0, count).Select(i => new SeedDocument(
            $"item-{i:D5}",
            F(("n", Value.Integer(i)), ("name", Value.String($"Item {i}")), ("created_at", Value.ServerTimestamp)),
            5 + i)).ToArray())]);

    /// <summary>A backfill of every item without a status.</summary>
    public static SeedDefinition BackfillStatus() => new(
        "0002_backfill_status",
        SeedPhase.Pre,
        "sha256:backfill-status",
        "migrations/pre/0002_backfill_status.yaml",
        "status for every item",
        [SeedStep.Backfill("items", 2, F(("status", Value.Null)), F(("status", Value.String("active")), ("migrated_at", Value.ServerTimestamp)))]);

    [Fact]
    public async Task Seeding_10000_documents_then_backfilling_them_costs_RPCs_per_chunk_not_per_document()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        var runner = Runners.For(store, Runner);
        var create = new ServiceSeeds("bulk", [], [CreateItems()]);

        var clock = Stopwatch.StartNew();
        var first = await runner.RunAsync(create, RunRequest.PreDeploy());
        output.WriteLine($"first seeding of {Documents:N0} documents ({clock.ElapsedMilliseconds} ms): {SamplesEndToEndTests.Format(calls.Snapshot())}");
        Assert.Equal(Documents, first.Created);
        // BatchGetDocuments: read 1 (history), the lease's read, read 2 inside the lease (history + 10,000 paths,
        // in chunks of 1000 = 11). Commit: take the lease, record history (with a lease renewal), release it.
        Assert.Equal(Counts(batchGet: 1 + 1 + 11, batchWrite: Documents / 500, commit: 3, runQuery: 0), Counts(calls));

        calls.Reset();
        var again = await runner.RunAsync(create, RunRequest.PreDeploy());
        output.WriteLine($"no-op run over the same migration: {SamplesEndToEndTests.Format(calls.Snapshot())}");
        Assert.Equal(SeedOutcome.AlreadyApplied, again.Seeds.Single().Outcome);
        Assert.Equal(Counts(batchGet: 1, batchWrite: 0, commit: 0, runQuery: 0), Counts(calls));

        calls.Reset();
        clock.Restart();
        var backfill = await runner.RunAsync(new ServiceSeeds("bulk", [], [CreateItems(), BackfillStatus()]), RunRequest.PreDeploy());
        output.WriteLine($"backfill of {Documents:N0} documents ({clock.ElapsedMilliseconds} ms): {SamplesEndToEndTests.Format(calls.Snapshot())}");
        Assert.Equal(Documents, backfill.Updated);
        // The backfill runs in 8 partitions of 1,250 documents (the emulator has no PartitionQuery: the split reads the keys
        // in one streamed keys-only RunQuery). Each partition: one streamed RunQuery, cut into 3 batches of at
        // most 499 (499, 499, 252), each committed with its checkpoint. BatchGetDocuments: read 1, the lease, read 2, the backfill header, and one read of
        // the 8 partition records per claim plus the last that finds all done. Commit: the lease, the partition records,
        // 8 claims, 24 batches, the history record, the release. BatchWrite: deleting the records once recorded.
        const int Partitions = 8, PagesPerPartition = 3;
        Assert.Equal(
            Counts(batchGet: 3 + 1 + Partitions + 1, batchWrite: 1, commit: 1 + 1 + Partitions + Partitions * PagesPerPartition + 2, runQuery: 1 + Partitions),
            Counts(calls));

        var updated = 0;
        await foreach (var item in store.QueryAllAsync(new DocumentQuery("items", [FieldFilter.EqualTo("status", Value.String("active"))]), 1000))
        {
            Assert.Equal(ValueKind.Timestamp, item.Fields["migrated_at"].Kind);
            Assert.Equal(ValueKind.Integer, item.Fields["n"].Kind);
            updated++;
        }

        Assert.Equal(Documents, updated);
    }

    private static (int BatchGet, int BatchWrite, int Commit, int RunQuery) Counts(int batchGet, int batchWrite, int commit, int runQuery) =>
        (batchGet, batchWrite, commit, runQuery);

    private static (int BatchGet, int BatchWrite, int Commit, int RunQuery) Counts(CallCounter calls) =>
        (calls["BatchGetDocuments"], calls["BatchWrite"], calls["Commit"], calls["RunQuery"]);
}
