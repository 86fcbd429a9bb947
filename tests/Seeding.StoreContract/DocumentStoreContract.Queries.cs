using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.StoreContract;

// Queries: equality and null filters with Firestore's value semantics, ordering by id in UTF-8 byte order, limits,
// start-after cursors, and one collection only (never a subcollection or a similarly named one).
public abstract partial class DocumentStoreContract
{
    [Fact]
    public async Task Query_equality_filter_on_strings_and_booleans()
    {
        var col = "users";
        await Set(Doc(col, "u1"), F(("role", Value.String("admin")), ("active", Value.Boolean(true))));
        await Set(Doc(col, "u2"), F(("role", Value.String("viewer")), ("active", Value.Boolean(true))));
        await Set(Doc(col, "u3"), F(("role", Value.String("admin")), ("active", Value.Boolean(false))));
        await Set(Doc(col, "u4"), F(("role", Value.String("Admin"))));

        Assert.Equal(["u1", "u3"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("role", Value.String("admin"))])));
        Assert.Equal(["u3"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("active", Value.Boolean(false))])));
        Assert.Empty(await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("role", Value.String("nobody"))])));
    }

    [Fact]
    public async Task Query_equality_compares_integers_and_doubles_by_value_as_Firestore_does()
    {
        var col = "numbers";
        await Set(Doc(col, "int1"), F(("n", Value.Integer(1))));
        await Set(Doc(col, "double1"), F(("n", Value.Double(1.0))));
        await Set(Doc(col, "int2"), F(("n", Value.Integer(2))));
        await Set(Doc(col, "half"), F(("n", Value.Double(1.5))));
        await Set(Doc(col, "text1"), F(("n", Value.String("1"))));
        await Set(Doc(col, "bool"), F(("n", Value.Boolean(true))));

        Assert.Equal(["double1", "int1"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("n", Value.Integer(1))])));
        Assert.Equal(["double1", "int1"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("n", Value.Double(1.0))])));
        Assert.Equal(["half"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("n", Value.Double(1.5))])));
        Assert.Equal(["int2"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("n", Value.Double(2))])));

        // The stored kinds are not changed by the comparison.
        var snapshots = await Store.GetAllAsync([Doc(col, "int1"), Doc(col, "double1")]);
        Assert.Equal(Value.Integer(1), snapshots[0].Fields["n"]);
        Assert.Equal(Value.Double(1.0), snapshots[1].Fields["n"]);
    }

    [Fact]
    public async Task Query_equality_on_timestamps_references_and_maps()
    {
        var col = "typed";
        var when = Timestamp.FromUnixMicroseconds(1_714_564_800_123_456);
        var target = DocumentPath.Parse("tenants/t1");
        await Set(Doc(col, "a"), F(("when", Value.Timestamp(when)), ("ref", Value.Reference(target)), ("map", Value.Map(F(("k", Value.Integer(1)))))));
        await Set(Doc(col, "b"), F(("when", Value.Timestamp(Timestamp.FromUnixMicroseconds(1_714_564_800_123_457))), ("ref", Value.Reference(DocumentPath.Parse("tenants/t2")))));

        Assert.Equal(["a"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("when", Value.Timestamp(when))])));
        Assert.Equal(["a"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("ref", Value.Reference(target))])));
        Assert.Equal(["a"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("map", Value.Map(F(("k", Value.Integer(1)))))])));
    }

    [Fact]
    public async Task Query_is_null_matches_an_explicit_null_but_not_a_missing_field()
    {
        var col = "nulls";
        await Set(Doc(col, "explicit"), F(("deletedAt", Value.Null), ("n", Value.Integer(1))));
        await Set(Doc(col, "missing"), F(("n", Value.Integer(1))));
        await Set(Doc(col, "set"), F(("deletedAt", Value.Timestamp(Timestamp.FromUnixMicroseconds(1))), ("n", Value.Integer(1))));
        await Set(Doc(col, "empty-string"), F(("deletedAt", Value.String(string.Empty))));
        await Set(Doc(col, "zero"), F(("deletedAt", Value.Integer(0))));

        Assert.Equal(["explicit"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.IsNullValue("deletedAt")])));
    }

    [Fact]
    public async Task Query_filters_combine_with_and()
    {
        var col = "users";
        await Set(Doc(col, "u1"), F(("tenant", Value.String("t1")), ("role", Value.String("admin")), ("gone", Value.Null)));
        await Set(Doc(col, "u2"), F(("tenant", Value.String("t1")), ("role", Value.String("viewer")), ("gone", Value.Null)));
        await Set(Doc(col, "u3"), F(("tenant", Value.String("t2")), ("role", Value.String("admin")), ("gone", Value.Null)));
        await Set(Doc(col, "u4"), F(("tenant", Value.String("t1")), ("role", Value.String("admin"))));

        var ids = await Ids(new DocumentQuery(Collection(col),
        [
            FieldFilter.EqualTo("tenant", Value.String("t1")),
            FieldFilter.EqualTo("role", Value.String("admin")),
            FieldFilter.IsNullValue("gone"),
        ]));

        Assert.Equal(["u1"], ids);
        Assert.Equal(["u1", "u4"], await Ids(new DocumentQuery(Collection(col),
        [
            FieldFilter.EqualTo("tenant", Value.String("t1")),
            FieldFilter.EqualTo("role", Value.String("admin")),
        ])));
    }

    [Fact]
    public async Task Query_without_filters_returns_the_whole_collection_in_path_order_with_fields_and_times()
    {
        var col = "all";
        var ids = new[] { "m", "b", "z", "a1", "a", "B", "0" };
        foreach (var id in ids)
        {
            await Set(Doc(col, id), F(("id", Value.String(id))));
        }

        var results = await Store.QueryAsync(new DocumentQuery(Collection(col), []));

        Assert.Equal(ids.Order(StringComparer.Ordinal), results.Select(r => r.Path.Id));
        Assert.All(results, r =>
        {
            Assert.True(r.Exists);
            Assert.Equal(Collection(col), r.Path.Collection);
            Assert.Equal(Value.String(r.Path.Id), r.Fields["id"]);
            Assert.NotNull(r.CreateTime);
            Assert.NotNull(r.UpdateTime);
        });
    }

    [Fact]
    public async Task Query_limit_returns_the_first_matching_documents_in_path_order()
    {
        var col = "limited";
        for (var i = 9; i >= 0; i--)
        {
            await Set(Doc(col, $"d{i}"), F(("even", Value.Boolean(i % 2 == 0))));
        }

        Assert.Equal(["d0", "d2", "d4"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("even", Value.Boolean(true))], Limit: 3)));
        Assert.Equal(["d0", "d1"], await Ids(new DocumentQuery(Collection(col), [], Limit: 2)));
        Assert.Equal(10, (await Ids(new DocumentQuery(Collection(col), [], Limit: 100))).Count);
    }

    [Fact]
    public async Task Query_pages_with_a_start_after_cursor()
    {
        var col = "paged";
        var writes = Enumerable.Range(0, 23)
            .Select(i => DocumentWrite.Set(Doc(col, $"doc{i:D2}"), F(("kind", Value.String(i % 3 == 0 ? "skip" : "keep")), ("i", Value.Integer(i)))))
            .Reverse()
            .ToArray();
        await Store.WriteBatchAsync(writes);
        var expected = Enumerable.Range(0, 23).Where(i => i % 3 != 0).Select(i => $"doc{i:D2}").ToArray();

        var seen = new List<string>();
        var pages = 0;
        DocumentPath? cursor = null;
        while (true)
        {
            var page = await Store.QueryAsync(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("kind", Value.String("keep"))], Limit: 4, StartAfter: cursor));
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 4);
            pages++;
            seen.AddRange(page.Select(p => p.Path.Id));
            cursor = page[^1].Path;
        }

        Assert.Equal(expected, seen);
        Assert.Equal(4, pages); // 15 matches: 4 + 4 + 4 + 3

        // A cursor need not be a matching (or existing) document.
        Assert.Equal(["doc10", "doc11"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("kind", Value.String("keep"))], Limit: 2, StartAfter: Doc(col, "doc09"))));
        Assert.Equal(["doc10", "doc11"], await Ids(new DocumentQuery(Collection(col), [FieldFilter.EqualTo("kind", Value.String("keep"))], Limit: 2, StartAfter: Doc(col, "doc09x"))));
    }

    [Fact]
    public async Task Query_orders_ids_in_utf8_byte_order_as_Firestore_does()
    {
        // Firestore orders strings, document ids included, by their UTF-8 bytes (code point order). UTF-16
        // ordinal order differs for characters above U+FFFF versus U+E000..U+FFFF: "😀" (U+1F600) sorts after
        // "Ａ" (U+FF21) in Firestore, but its UTF-16 surrogate (0xD83D) sorts before 0xFF21.
        var col = "unicode-ids";
        string[] ids = ["😀", "z", "Ａ", "é", "a", "\uE000"];
        foreach (var id in ids)
        {
            await Set(Doc(col, id), F(("id", Value.String(id))));
        }

        string[] expected = ["a", "z", "é", "\uE000", "Ａ", "😀"];
        Assert.Equal(expected, await Ids(new DocumentQuery(Collection(col), [])));

        var seen = new List<string>();
        DocumentPath? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var results = await Store.QueryAsync(new DocumentQuery(Collection(col), [], Limit: 2, StartAfter: cursor));
            if (results.Count == 0)
            {
                break;
            }

            seen.AddRange(results.Select(r => r.Path.Id));
            cursor = results[^1].Path;
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Query_sees_only_its_own_collection_not_subcollections_or_similarly_named_ones()
    {
        var parent = Collection("tenants");
        await Set(DocumentPath.Create(parent, "t1"), F(("k", Value.String("parent"))));
        await Set(DocumentPath.Create(parent, "t2"), F(("k", Value.String("parent"))));
        await Set(DocumentPath.Create(parent + "/t1/users", "u1"), F(("k", Value.String("child"))));
        await Set(DocumentPath.Create(parent + "/t1/users", "u2"), F(("k", Value.String("child"))));
        await Set(DocumentPath.Create(parent + "/t2/users", "u9"), F(("k", Value.String("child"))));
        await Set(DocumentPath.Create(parent + "/t1/users/u1/devices", "d1"), F(("k", Value.String("grandchild"))));
        await Set(DocumentPath.Create(parent + "x", "t3"), F(("k", Value.String("sibling"))));
        await Set(DocumentPath.Create(parent + "_", "t4"), F(("k", Value.String("sibling"))));

        Assert.Equal(["t1", "t2"], await Ids(new DocumentQuery(parent, [])));
        Assert.Equal(["u1", "u2"], await Ids(new DocumentQuery(parent + "/t1/users", [])));
        Assert.Equal(["u9"], await Ids(new DocumentQuery(parent + "/t2/users", [])));
        Assert.Equal(["d1"], await Ids(new DocumentQuery(parent + "/t1/users/u1/devices", [])));
        Assert.Empty(await Ids(new DocumentQuery(parent + "/t3/users", [])));
        Assert.Equal(["t1", "t2"], await Ids(new DocumentQuery(parent, [FieldFilter.EqualTo("k", Value.String("parent"))])));
        Assert.Empty(await Ids(new DocumentQuery(parent, [FieldFilter.EqualTo("k", Value.String("child"))])));

        var nested = await Store.GetAllAsync([DocumentPath.Parse(parent + "/t1/users/u1"), DocumentPath.Parse(parent + "/t1/users/u1/devices/d1")]);
        Assert.Equal(Value.String("child"), nested[0].Fields["k"]);
        Assert.Equal(Value.String("grandchild"), nested[1].Fields["k"]);

        // Deleting a parent leaves its subcollections alone, as in Firestore.
        await Store.WriteBatchAsync([DocumentWrite.Delete(DocumentPath.Create(parent, "t1"))]);
        Assert.Equal(["t2"], await Ids(new DocumentQuery(parent, [])));
        Assert.Equal(["u1", "u2"], await Ids(new DocumentQuery(parent + "/t1/users", [])));
    }
}
