using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>
/// How the Firestore store splits a collection for a backfill's partitions on the emulator: it asks PartitionQuery
/// once, the emulator answers UNIMPLEMENTED (cloud-firestore-emulator 1.19.9), and the store reads the keys once
/// (keys-only RunQuery pages of 1000) and splits at sampled quantiles.
/// </summary>
public class PartitionQueryTests
{
    [Fact]
    public async Task The_emulator_has_no_PartitionQuery_and_the_store_splits_by_a_keys_only_scan()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        foreach (var chunk in Enumerable.Range(0, 2500).Chunk(500))
        {
            await store.CommitAsync(chunk.Select(i => DocumentWrite.Set(P($"orders/o{i:D5}"), F(("n", Value.Integer(i)), ("pad", Value.String(new string('x', 200)))))).ToArray());
        }

        await store.CommitAsync([DocumentWrite.Set(P("customers/c1/orders/elsewhere"), F(("n", Value.Integer(-1))))]);
        calls.Reset();

        var splits = await store.SplitAsync("orders", 5);

        Assert.Equal(1, calls["PartitionQuery"]);
        Assert.True(calls["RunQuery"] == 1,
            $"expected the keys-only fallback (one streamed keys-only query) after PartitionQuery; calls: {string.Join(", ", calls.Snapshot())}. " +
            "If the emulator now implements PartitionQuery, update docs/architecture.md and this test.");
        Assert.Equal(4, splits.Count);
        var sizes = new List<int>();
        for (var i = 0; i <= splits.Count; i++)
        {
            var range = await store.QueryAsync(new DocumentQuery("orders", [], StartAfter: i == 0 ? null : splits[i - 1]) { EndAt = i == splits.Count ? null : splits[i] });
            sizes.Add(range.Count);
        }

        Assert.Equal(2500, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, 400, 600));
    }
}
