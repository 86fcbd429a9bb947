using Seeding.Store;
using Seeding.Values;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>Structured queries on the emulator: filters, order by name, limits, cursors and whole-collection reads.</summary>
public sealed class QueryTests
{
    [Fact]
    public async Task Filters_match_like_firestore_and_results_are_ordered_by_path()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        await store.WriteBatchAsync([
            DocumentWrite.Create(P("users/u3"), F(("tenant", Value.String("t1")), ("age", Value.Integer(30)), ("deleted", Value.Null))),
            DocumentWrite.Create(P("users/u1"), F(("tenant", Value.String("t1")), ("age", Value.Double(30.0)))),
            DocumentWrite.Create(P("users/u2"), F(("tenant", Value.String("t2")), ("age", Value.Integer(30)), ("deleted", Value.Null))),
            DocumentWrite.Create(P("users/u4"), F(("tenant", Value.String("t1")), ("age", Value.Integer(31)), ("deleted", Value.Boolean(false)))),
            DocumentWrite.Create(P("tenants/t1/users/u9"), F(("tenant", Value.String("t1")))),
            DocumentWrite.Create(P("users/odd name"), F(("weird key", Value.String("v")))),
        ]);
        calls.Reset();

        async Task<string[]> Ids(DocumentQuery q) => (await store.QueryAsync(q)).Select(s => s.Path.Id).ToArray();

        Assert.Equal(["u1", "u3", "u4"], await Ids(new DocumentQuery("users", [FieldFilter.EqualTo("tenant", Value.String("t1"))])));
        // Integer and double compare by value in equality, as in Firestore.
        Assert.Equal(["u1", "u3"], await Ids(new DocumentQuery("users", [FieldFilter.EqualTo("tenant", Value.String("t1")), FieldFilter.EqualTo("age", Value.Integer(30))])));
        // IS NULL matches a null field, not a missing one.
        Assert.Equal(["u2", "u3"], await Ids(new DocumentQuery("users", [FieldFilter.IsNullValue("deleted")])));
        Assert.Equal(["u2", "u3"], await Ids(new DocumentQuery("users", [FieldFilter.EqualTo("deleted", Value.Null)])));
        Assert.Equal(["odd name"], await Ids(new DocumentQuery("users", [FieldFilter.EqualTo("weird key", Value.String("v"))])));
        Assert.Equal(["u9"], await Ids(new DocumentQuery("tenants/t1/users", [])));
        Assert.Equal(["odd name", "u1", "u2", "u3", "u4"], await Ids(new DocumentQuery("users", [])));
        Assert.Equal(["u2", "u3"], await Ids(new DocumentQuery("users", [], Limit: 2, StartAfter: P("users/u1"))));
        Assert.Equal(8, calls["RunQuery"]);
    }

    [Fact]
    public async Task QueryAllAsync_reads_a_collection_of_several_pages_in_one_streamed_query()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        var writes = Enumerable.Range(0, 250).Select(i => DocumentWrite.Create(P($"items/{i:D4}"), F(("i", Value.Integer(i))))).ToArray();
        await store.WriteBatchAsync(writes);
        calls.Reset();

        var seen = new List<long>();
        await foreach (var document in store.QueryAllAsync(new DocumentQuery("items", []), pageSize: 100))
        {
            seen.Add(document.Fields["i"].AsInteger());
        }

        Assert.Equal(Enumerable.Range(0, 250).Select(i => (long)i), seen);
        // The store streams (IStreamingQueryStore): one RunQuery, however many pages of pageSize the collection holds.
        Assert.Equal(1, calls["RunQuery"]);
    }
}
