using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.StoreContract;

// Key ranges and partitions, for backfills read by several workers: an inclusive end bound (with start-after, limits and
// filters), and a split of a collection's key range that covers it exactly once.
public abstract partial class DocumentStoreContract
{
    [Fact]
    public async Task Query_end_bound_is_inclusive_and_combines_with_start_after_limit_and_filters()
    {
        var col = "ranged";
        foreach (var id in new[] { "a", "b", "c", "d", "e", "f" })
        {
            await Set(Doc(col, id), F(("even", Value.Boolean(id is "b" or "d" or "f"))));
        }

        await Set(DocumentPath.Create($"{Collection(col)}/c/sub", "x"), F(("even", Value.Boolean(true))));

        Assert.Equal(["a", "b", "c"], await Ids(new DocumentQuery(Collection(col), []) { EndAt = Doc(col, "c") }));
        Assert.Equal(["c", "d"], await Ids(new DocumentQuery(Collection(col), [], StartAfter: Doc(col, "b")) { EndAt = Doc(col, "d") }));
        Assert.Equal(["c"], await Ids(new DocumentQuery(Collection(col), [], Limit: 1, StartAfter: Doc(col, "b")) { EndAt = Doc(col, "d") }));
        Assert.Equal(["b", "d"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("even", Value.Boolean(true))]) { EndAt = Doc(col, "e") }));

        // A bound that names no document: up to where it would be.
        Assert.Equal(["a", "b", "c"], await Ids(new DocumentQuery(Collection(col), []) { EndAt = Doc(col, "cc") }));
        Assert.Empty(await Ids(new DocumentQuery(Collection(col), [], StartAfter: Doc(col, "c")) { EndAt = Doc(col, "c") }));
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(5, 1)]
    [InlineData(300, 7)]
    public async Task Split_covers_the_collection_exactly_once_in_ranges_of_about_equal_size(int documents, int partitions)
    {
        var col = $"split{documents}";
        foreach (var chunk in Enumerable.Range(0, documents).Chunk(Store.MaxBatchSize))
        {
            await Store.CommitAsync(chunk.Select(i => DocumentWrite.Set(Doc(col, $"d{i:D4}"), F(("n", Value.Integer(i))))).ToArray());
        }

        await Set(DocumentPath.Create($"{Collection(col)}/d0001/sub", "x"), F(("n", Value.Integer(-1))));
        var splitter = Assert.IsAssignableFrom<IPartitionQueryStore>(Store);

        var splits = await splitter.SplitAsync(Collection(col), partitions);

        Assert.InRange(splits.Count, 0, partitions - 1);
        Assert.All(splits, s => Assert.Equal(Collection(col), s.Collection));
        Assert.Equal(splits.Order().Distinct(), splits);
        var seen = new List<string>();
        for (var i = 0; i <= splits.Count; i++)
        {
            var range = await Ids(new DocumentQuery(Collection(col), [], StartAfter: i == 0 ? null : splits[i - 1]) { EndAt = i == splits.Count ? null : splits[i] });
            if (documents >= 10 * partitions)
            {
                Assert.InRange(range.Count, documents / partitions / 2, documents / partitions * 2);
            }

            seen.AddRange(range);
        }

        Assert.Equal(Enumerable.Range(0, documents).Select(i => $"d{i:D4}"), seen);
    }
}
