using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.StoreContract;

/// <summary>
/// The behaviour every <see cref="IDocumentStore"/> must show, written once and run against each backend
/// (in-memory, SQLite, the Firestore emulator). Subclass it, implement <see cref="CreateStoreAsync"/>, and the
/// facts below run against your store.
/// </summary>
/// <remarks>
/// xunit creates one instance of the class per test, so each test gets its own store from
/// <see cref="CreateStoreAsync"/>. Every test also writes only under root collections whose names start with a
/// per-test random prefix (<see cref="Collection"/>), so a shared database (such as one emulator) is fine.
/// Stores that are <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> are disposed after each test.
/// </remarks>
public abstract partial class DocumentStoreContract : IAsyncLifetime
{
    private readonly string _prefix = "contract_" + Guid.NewGuid().ToString("N")[..12];
    private IDocumentStore? _store;

    /// <summary>The store under test; created before each test.</summary>
    protected IDocumentStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Returns an empty store, isolated from other tests (a fresh database or a unique namespace).</summary>
    protected abstract Task<IDocumentStore> CreateStoreAsync();

    /// <summary>Releases the store after a test; by default disposes it when it is disposable.</summary>
    protected virtual async Task DisposeStoreAsync(IDocumentStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store);
        }
    }

    /// <summary>A root collection name unique to this test.</summary>
    protected string Collection(string name) => _prefix + "_" + name;

    /// <summary>The path of <paramref name="id"/> in this test's collection <paramref name="collection"/>.</summary>
    protected DocumentPath Doc(string collection, string id) => DocumentPath.Create(Collection(collection), id);

    // ---------------------------------------------------------------- basics

    [Fact]
    public void Store_has_a_name_and_a_positive_batch_size()
    {
        Assert.False(string.IsNullOrWhiteSpace(Store.Name));
        Assert.True(Store.MaxBatchSize > 0);
    }

    [Fact]
    public async Task GetAll_returns_one_snapshot_per_path_in_request_order_including_missing_documents()
    {
        var b = Doc("items", "b");
        var d = Doc("items", "d");
        await Set(b, F(("name", Value.String("bee"))));
        await Set(d, F(("name", Value.String("dee"))));

        var a = Doc("items", "a");
        var c = Doc("items", "c");
        var missingElsewhere = Doc("nowhere", "b");
        var snapshots = await Store.GetAllAsync([d, a, b, c, missingElsewhere]);

        Assert.Equal([d, a, b, c, missingElsewhere], snapshots.Select(s => s.Path));
        Assert.Equal([true, false, true, false, false], snapshots.Select(s => s.Exists));
        Assert.Equal(Value.String("dee"), snapshots[0].Fields["name"]);
        Assert.Equal(Value.String("bee"), snapshots[2].Fields["name"]);
        Assert.Empty(snapshots[1].Fields);
        Assert.Null(snapshots[1].CreateTime);
        Assert.Null(snapshots[1].UpdateTime);
        Assert.NotNull(snapshots[0].CreateTime);
        Assert.NotNull(snapshots[0].UpdateTime);
    }

    [Fact]
    public async Task GetAll_of_no_paths_returns_nothing()
    {
        Assert.Empty(await Store.GetAllAsync([]));
    }

    [Fact]
    public async Task GetAll_reads_more_documents_than_one_batch_holds()
    {
        var written = Enumerable.Range(0, Store.MaxBatchSize).Select(i => Doc("many", $"d{i:D4}")).ToArray();
        var outcomes = await Store.WriteBatchAsync(written.Select(p => DocumentWrite.Set(p, F(("id", Value.String(p.Id))))).ToArray());
        Assert.All(outcomes, o => Assert.True(o.Applied));

        // Interleave missing paths, so the result order cannot come from the database's own order.
        var asked = Enumerable.Reverse(written).SelectMany((p, i) => i % 5 == 0 ? new[] { p, Doc("many", $"missing{i:D4}") } : [p]).ToArray();
        var snapshots = await Store.GetAllAsync(asked);

        Assert.Equal(asked, snapshots.Select(s => s.Path));
        foreach (var snapshot in snapshots)
        {
            var isMissing = snapshot.Path.Id.StartsWith("missing", StringComparison.Ordinal);
            Assert.Equal(!isMissing, snapshot.Exists);
            if (!isMissing)
            {
                Assert.Equal(Value.String(snapshot.Path.Id), snapshot.Fields["id"]);
            }
        }
    }

    // ---------------------------------------------------------------- preconditions

    [Fact]
    public async Task Create_is_skipped_in_a_batch_when_the_document_exists_and_other_writes_still_apply()
    {
        var existing = Doc("items", "existing");
        var fresh = Doc("items", "fresh");
        var before = await SetAndGet(existing, F(("v", Value.Integer(1))));

        var outcomes = await Store.WriteBatchAsync(
        [
            DocumentWrite.Create(existing, F(("v", Value.Integer(2)))),
            DocumentWrite.Create(fresh, F(("v", Value.Integer(3)))),
        ]);

        Assert.Equal([existing, fresh], outcomes.Select(o => o.Path));
        Assert.False(outcomes[0].Applied);
        Assert.Null(outcomes[0].UpdateTime);
        Assert.True(outcomes[1].Applied);
        Assert.NotNull(outcomes[1].UpdateTime);

        var after = await Get(existing);
        Assert.Equal(Value.Integer(1), after.Fields["v"]);
        Assert.Equal(before.UpdateTime, after.UpdateTime);
        var created = await Get(fresh);
        Assert.Equal(Value.Integer(3), created.Fields["v"]);
        Assert.Equal(outcomes[1].UpdateTime, created.UpdateTime);
        Assert.Equal(created.UpdateTime, created.CreateTime);
    }

    [Fact]
    public async Task Commit_with_a_failed_precondition_throws_and_writes_nothing()
    {
        var existing = Doc("items", "existing");
        var a = Doc("items", "a");
        var b = Doc("items", "b");
        var before = await SetAndGet(existing, F(("v", Value.Integer(1))));

        var error = await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.CommitAsync(
        [
            DocumentWrite.Set(a, F(("v", Value.Integer(10)))),
            DocumentWrite.Create(existing, F(("v", Value.Integer(2)))),
            DocumentWrite.Merge(b, F(("v", Value.Integer(20)))),
        ]));

        Assert.Equal(existing, error.Path);
        var snapshots = await Store.GetAllAsync([a, existing, b]);
        Assert.False(snapshots[0].Exists);
        Assert.False(snapshots[2].Exists);
        Assert.Equal(Value.Integer(1), snapshots[1].Fields["v"]);
        Assert.Equal(before.UpdateTime, snapshots[1].UpdateTime);
    }

    [Fact]
    public async Task Commit_applies_all_writes_when_every_precondition_holds()
    {
        var existing = Doc("items", "existing");
        var fresh = Doc("items", "fresh");
        var gone = Doc("items", "gone");
        var current = await SetAndGet(existing, F(("v", Value.Integer(1))));
        await Set(gone, F(("v", Value.Integer(1))));

        var outcomes = await Store.CommitAsync(
        [
            DocumentWrite.Create(fresh, F(("v", Value.Integer(2)))),
            DocumentWrite.Merge(existing, F(("w", Value.Integer(3))), Precondition.UpdatedAt(current.UpdateTime!.Value)),
            DocumentWrite.Delete(gone, Precondition.MustExist),
        ]);

        Assert.Equal([fresh, existing, gone], outcomes.Select(o => o.Path));
        Assert.All(outcomes, o => Assert.True(o.Applied));
        var snapshots = await Store.GetAllAsync([fresh, existing, gone]);
        Assert.Equal(Value.Integer(2), snapshots[0].Fields["v"]);
        Assert.Equal(Value.Integer(3), snapshots[1].Fields["w"]);
        Assert.Equal(Value.Integer(1), snapshots[1].Fields["v"]);
        Assert.False(snapshots[2].Exists);
    }

    [Fact]
    public async Task Update_time_precondition_holds_only_while_the_document_is_unchanged()
    {
        var path = Doc("items", "x");
        var first = await SetAndGet(path, F(("v", Value.Integer(1))));
        var firstTime = first.UpdateTime!.Value;

        var applied = await Store.WriteBatchAsync([DocumentWrite.Set(path, F(("v", Value.Integer(2))), Precondition.UpdatedAt(firstTime))]);
        Assert.True(applied[0].Applied);
        Assert.True(applied[0].UpdateTime!.Value > firstTime);

        var stale = await Store.WriteBatchAsync([DocumentWrite.Set(path, F(("v", Value.Integer(3))), Precondition.UpdatedAt(firstTime))]);
        Assert.False(stale[0].Applied);
        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            Store.CommitAsync([DocumentWrite.Merge(path, F(("v", Value.Integer(4))), Precondition.UpdatedAt(firstTime))]));

        var missing = await Store.WriteBatchAsync([DocumentWrite.Set(Doc("items", "missing"), F(("v", Value.Integer(5))), Precondition.UpdatedAt(firstTime))]);
        Assert.False(missing[0].Applied);

        var now = await Get(path);
        Assert.Equal(Value.Integer(2), now.Fields["v"]);
        Assert.Equal(applied[0].UpdateTime, now.UpdateTime);
        Assert.False((await Get(Doc("items", "missing"))).Exists);
    }

    [Fact]
    public async Task Must_exist_precondition_refuses_missing_documents_and_allows_existing_ones()
    {
        var existing = Doc("items", "existing");
        var missing = Doc("items", "missing");
        await Set(existing, F(("v", Value.Integer(1))));

        var outcomes = await Store.WriteBatchAsync(
        [
            DocumentWrite.Merge(missing, F(("v", Value.Integer(2))), Precondition.MustExist),
            DocumentWrite.Merge(existing, F(("w", Value.Integer(3))), Precondition.MustExist),
            DocumentWrite.Delete(Doc("items", "missing-too"), Precondition.MustExist),
        ]);

        Assert.Equal([false, true, false], outcomes.Select(o => o.Applied));
        Assert.False((await Get(missing)).Exists);
        var updated = await Get(existing);
        Assert.Equal(Value.Integer(1), updated.Fields["v"]);
        Assert.Equal(Value.Integer(3), updated.Fields["w"]);
        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            Store.CommitAsync([DocumentWrite.Set(missing, F(("v", Value.Integer(2))), Precondition.MustExist)]));
        Assert.False((await Get(missing)).Exists);
    }

    // ---------------------------------------------------------------- write kinds

    [Fact]
    public async Task Merge_writes_the_given_top_level_fields_and_keeps_the_others()
    {
        var path = Doc("items", "x");
        var original = await SetAndGet(path, F(
            ("a", Value.Integer(1)),
            ("nested", Value.Map(F(("p", Value.Integer(1)), ("q", Value.Integer(2))))),
            ("keep", Value.String("kept")),
            ("a.b", Value.String("dotted, kept"))));

        var outcomes = await Store.WriteBatchAsync([DocumentWrite.Merge(path, F(
            ("a", Value.Integer(2)),
            ("nested", Value.Map(F(("p", Value.Integer(9))))),
            ("sp ace", Value.Boolean(true)),
            ("x.y", Value.String("dotted, new"))))]);

        Assert.True(outcomes[0].Applied);
        var merged = await Get(path);
        AssertFields(
            F(
                ("a", Value.Integer(2)),
                ("nested", Value.Map(F(("p", Value.Integer(9))))), // a top-level field is replaced whole
                ("keep", Value.String("kept")),
                ("a.b", Value.String("dotted, kept")),
                ("sp ace", Value.Boolean(true)),
                ("x.y", Value.String("dotted, new"))),
            merged.Fields);
        Assert.Equal(original.CreateTime, merged.CreateTime);
        Assert.True(merged.UpdateTime > original.UpdateTime);
    }

    [Fact]
    public async Task Merge_creates_a_missing_document()
    {
        var path = Doc("items", "new");
        var outcomes = await Store.WriteBatchAsync([DocumentWrite.Merge(path, F(("a", Value.Integer(1))))]);
        Assert.True(outcomes[0].Applied);
        var created = await Get(path);
        AssertFields(F(("a", Value.Integer(1))), created.Fields);
        Assert.Equal(created.CreateTime, created.UpdateTime);
    }

    [Fact]
    public async Task Set_replaces_the_whole_document_and_keeps_its_create_time()
    {
        var path = Doc("items", "x");
        var original = await SetAndGet(path, F(("a", Value.Integer(1)), ("b", Value.Integer(2))));

        var replaced = await SetAndGet(path, F(("c", Value.Integer(3))));

        AssertFields(F(("c", Value.Integer(3))), replaced.Fields);
        Assert.Equal(original.CreateTime, replaced.CreateTime);
        Assert.True(replaced.UpdateTime > original.UpdateTime);
    }

    [Fact]
    public async Task Delete_removes_the_document_and_deleting_a_missing_document_succeeds()
    {
        var path = Doc("items", "x");
        var original = await SetAndGet(path, F(("a", Value.Integer(1))));

        var deleted = await Store.WriteBatchAsync([DocumentWrite.Delete(path)]);
        Assert.True(deleted[0].Applied);
        Assert.False((await Get(path)).Exists);

        var again = await Store.WriteBatchAsync([DocumentWrite.Delete(path), DocumentWrite.Delete(Doc("items", "never"))]);
        Assert.True(again[0].Applied);
        Assert.True(again[1].Applied);

        var recreated = await SetAndGet(path, F(("a", Value.Integer(2))));
        Assert.True(recreated.CreateTime > original.CreateTime);
        Assert.Empty(await Store.QueryAsync(new DocumentQuery(Collection("never-written"), [])));
    }

    [Fact]
    public async Task A_document_with_no_fields_exists()
    {
        var path = Doc("items", "empty");
        var snapshot = await SetAndGet(path, F());
        Assert.True(snapshot.Exists);
        Assert.Empty(snapshot.Fields);
        Assert.Single(await Store.QueryAsync(new DocumentQuery(Collection("items"), [])));
    }

    // ---------------------------------------------------------------- times and server timestamps

    [Fact]
    public async Task Server_timestamps_resolve_to_one_request_time_at_top_level_and_nested_in_maps()
    {
        var a = Doc("items", "a");
        var b = Doc("items", "b");
        var before = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-5));

        var outcomes = await Store.CommitAsync(
        [
            DocumentWrite.Set(a, F(
                ("at", Value.ServerTimestamp),
                ("plain", Value.Integer(1)),
                ("nested", Value.Map(F(("at", Value.ServerTimestamp), ("deeper", Value.Map(F(("at", Value.ServerTimestamp))))))))),
            DocumentWrite.Merge(b, F(("at", Value.ServerTimestamp))),
        ]);

        var commitTime = outcomes[0].UpdateTime!.Value;
        Assert.Equal(commitTime, outcomes[1].UpdateTime); // one commit, one time
        var snapshots = await Store.GetAllAsync([a, b]);

        // Firestore resolves REQUEST_TIME once per request, with millisecond precision, so it need not equal the
        // microsecond commit time; it is one value for the whole request, no later than the commit.
        var resolved = snapshots[0].Fields["at"];
        Assert.Equal(ValueKind.Timestamp, resolved.Kind);
        Assert.InRange(resolved.AsTimestamp(), before, commitTime);
        AssertFields(
            F(
                ("at", resolved),
                ("plain", Value.Integer(1)),
                ("nested", Value.Map(F(("at", resolved), ("deeper", Value.Map(F(("at", resolved)))))))),
            snapshots[0].Fields);
        Assert.Equal(resolved, snapshots[1].Fields["at"]);
        Assert.Equal(commitTime, snapshots[0].UpdateTime);
        Assert.Equal(commitTime, snapshots[0].CreateTime);
        Assert.Equal(commitTime, snapshots[1].UpdateTime);
    }

    [Fact]
    public async Task Server_timestamps_in_a_batch_resolve_no_later_than_each_documents_update_time()
    {
        var a = Doc("items", "a");
        var b = Doc("items", "b");
        var before = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-5));
        var outcomes = await Store.WriteBatchAsync(
        [
            DocumentWrite.Set(a, F(("at", Value.ServerTimestamp))),
            DocumentWrite.Set(b, F(("m", Value.Map(F(("at", Value.ServerTimestamp)))))),
        ]);

        var snapshots = await Store.GetAllAsync([a, b]);
        Assert.InRange(snapshots[0].Fields["at"].AsTimestamp(), before, outcomes[0].UpdateTime!.Value);
        Assert.Equal(outcomes[0].UpdateTime, snapshots[0].UpdateTime);
        Assert.InRange(snapshots[1].Fields["m"].AsMap()["at"].AsTimestamp(), before, outcomes[1].UpdateTime!.Value);
    }

    [Fact]
    public async Task Update_times_increase_with_every_change_and_create_time_stays()
    {
        var path = Doc("items", "x");
        var first = await SetAndGet(path, F(("v", Value.Integer(0))));
        var previous = first.UpdateTime!.Value;
        for (var i = 1; i <= 5; i++)
        {
            var write = i % 2 == 0
                ? DocumentWrite.Set(path, F(("v", Value.Integer(i))))
                : DocumentWrite.Merge(path, F(("v", Value.Integer(i))));
            var outcome = (await Store.CommitAsync([write]))[0];
            var snapshot = await Get(path);
            Assert.True(outcome.UpdateTime > previous, $"write {i}: {outcome.UpdateTime} is not after {previous}");
            Assert.Equal(outcome.UpdateTime, snapshot.UpdateTime);
            Assert.Equal(first.CreateTime, snapshot.CreateTime);
            previous = outcome.UpdateTime!.Value;
        }

        var other = await SetAndGet(Doc("items", "y"), F(("v", Value.Integer(1))));
        Assert.True(other.UpdateTime > previous);
    }

    // ---------------------------------------------------------------- queries

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

    // ---------------------------------------------------------------- value round trips

    [Fact]
    public Task Integers_round_trip_exactly_beyond_2_pow_53() => AssertRoundTrip(F(
        ("min", Value.Integer(long.MinValue)),
        ("max", Value.Integer(long.MaxValue)),
        ("above53", Value.Integer((1L << 53) + 1)),
        ("below53", Value.Integer(-((1L << 53) + 1))),
        ("zero", Value.Integer(0)),
        ("minusOne", Value.Integer(-1)),
        ("small", Value.Integer(42))));

    [Fact]
    public Task Doubles_round_trip_exactly_including_nan_infinities_and_negative_zero() => AssertRoundTrip(F(
        ("nan", Value.Double(double.NaN)),
        ("positiveInfinity", Value.Double(double.PositiveInfinity)),
        ("negativeInfinity", Value.Double(double.NegativeInfinity)),
        ("negativeZero", Value.Double(-0.0)),
        ("zero", Value.Double(0.0)),
        ("one", Value.Double(1.0)),
        ("tenth", Value.Double(0.1)),
        ("epsilon", Value.Double(double.Epsilon)),
        ("max", Value.Double(double.MaxValue)),
        ("min", Value.Double(double.MinValue)),
        ("big", Value.Double(9007199254740993.0)),
        ("tiny", Value.Double(1e-300))));

    [Fact]
    public async Task Negative_zero_stays_negative()
    {
        var stored = await RoundTrip(F(("z", Value.Double(-0.0))));
        Assert.True(double.IsNegative(stored["z"].AsDouble()), "-0.0 came back as +0.0");
    }

    [Fact]
    public Task Timestamps_round_trip_with_microseconds_and_at_the_range_limits() => AssertRoundTrip(F(
        ("micros", Value.Timestamp(Timestamp.FromUnixMicroseconds(1_714_564_800_123_456))),
        ("epoch", Value.Timestamp(Timestamp.FromUnixMicroseconds(0))),
        ("justBeforeEpoch", Value.Timestamp(Timestamp.FromUnixMicroseconds(-1))),
        ("preEpochMicros", Value.Timestamp(Timestamp.FromUnixMicroseconds(-1_234_567_890_123_457))),
        ("min", Value.Timestamp(Timestamp.FromDateTimeOffset(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)))),
        ("max", Value.Timestamp(Timestamp.Parse("9999-12-31T23:59:59.999999Z")))));

    [Fact]
    public Task Strings_round_trip_exactly_including_unicode_and_astral_characters() => AssertRoundTrip(F(
        ("empty", Value.String(string.Empty)),
        ("ascii", Value.String("plain text")),
        ("accents", Value.String("ünïcödé çà")),
        ("cjk", Value.String("日本語のテキスト")),
        ("astral", Value.String("😀 🎉 𝄞 𐍈")),
        ("escapes", Value.String("line\nbreak\ttab \"quotes\" \\ back / slash {json} 'single'")),
        ("long", Value.String(new string('x', 20_000) + "end"))));

    [Fact]
    public Task Map_keys_round_trip_exactly_including_unicode_and_punctuation() => AssertRoundTrip(F(
        ("ключ", Value.Integer(1)),
        ("😀", Value.Integer(2)),
        ("a.b", Value.Integer(3)),
        ("with space", Value.Integer(4)),
        ("`tick`", Value.Integer(5)),
        ("quote\"d", Value.Integer(6)),
        ("nested", Value.Map(F(("日本", Value.String("値")), ("𝄞", Value.Map(F(("x.y", Value.Boolean(false))))))))));

    [Fact]
    public Task Bytes_round_trip_exactly_including_zero_bytes() => AssertRoundTrip(F(
        ("empty", Value.Bytes([])),
        ("zero", Value.Bytes([0])),
        ("zeros", Value.Bytes([0, 0, 0, 1, 0])),
        ("all", Value.Bytes(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray())),
        ("notUtf8", Value.Bytes([0xFF, 0xFE, 0xC3, 0x28]))));

    [Fact]
    public Task Null_booleans_references_and_geo_points_round_trip() => AssertRoundTrip(F(
        ("null", Value.Null),
        ("true", Value.Boolean(true)),
        ("false", Value.Boolean(false)),
        ("ref", Value.Reference(DocumentPath.Parse("tenants/t1"))),
        ("deepRef", Value.Reference(DocumentPath.Parse("tenants/t1/users/u-1"))),
        ("geo", Value.GeoPoint(new GeoPoint(51.507351, -0.127758))),
        ("geoCorner", Value.GeoPoint(new GeoPoint(-90, 180)))));

    [Fact]
    public Task Nested_maps_and_arrays_round_trip_including_empty_ones() => AssertRoundTrip(F(
        ("emptyMap", Value.Map(F())),
        ("emptyArray", Value.Array()),
        ("array", Value.Array(Value.Integer(1), Value.Double(1.0), Value.String("1"), Value.Null, Value.Boolean(true), Value.Integer(1))),
        ("arrayOfMaps", Value.Array(
            Value.Map(F(("inner", Value.Array(Value.Integer(1), Value.Map(F()))))),
            Value.Map(F()),
            Value.Map(F(("deep", Value.Map(F(("deeper", Value.Map(F(("deepest", Value.Array(Value.Bytes([0, 1]), Value.Timestamp(Timestamp.FromUnixMicroseconds(7)))))))))))))),
        ("map", Value.Map(F(
            ("array", Value.Array(Value.String("x"), Value.Integer(2))),
            ("emptyArray", Value.Array()),
            ("ref", Value.Reference(DocumentPath.Parse("a/b"))),
            ("geo", Value.GeoPoint(new GeoPoint(1.5, 2.5))),
            ("nan", Value.Double(double.NaN)))))));

    // ---------------------------------------------------------------- limits and cancellation

    [Fact]
    public async Task A_batch_of_MaxBatchSize_writes_is_accepted()
    {
        var writes = Enumerable.Range(0, Store.MaxBatchSize)
            .Select(i => DocumentWrite.Create(Doc("full", $"d{i:D4}"), F(("i", Value.Integer(i)))))
            .ToArray();

        var outcomes = await Store.CommitAsync(writes);

        Assert.Equal(writes.Length, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Applied));
        Assert.Equal(writes.Length, (await Store.QueryAsync(new DocumentQuery(Collection("full"), []))).Count);
    }

    [Fact]
    public async Task Batches_larger_than_MaxBatchSize_are_refused_and_write_nothing()
    {
        var writes = Enumerable.Range(0, Store.MaxBatchSize + 1)
            .Select(i => DocumentWrite.Set(Doc("big", $"d{i:D4}"), F(("i", Value.Integer(i)))))
            .ToArray();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.WriteBatchAsync(writes));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CommitAsync(writes));

        Assert.Empty(await Store.QueryAsync(new DocumentQuery(Collection("big"), [])));
    }

    [Fact]
    public async Task Cancelled_calls_throw_and_change_nothing()
    {
        var path = Doc("items", "x");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.WriteBatchAsync([DocumentWrite.Set(path, F(("v", Value.Integer(1))))], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CommitAsync([DocumentWrite.Set(path, F(("v", Value.Integer(1))))], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetAllAsync([path], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.QueryAsync(new DocumentQuery(Collection("items"), []), cancelled.Token));

        Assert.False((await Get(path)).Exists);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Builds a field dictionary.</summary>
    protected static IReadOnlyDictionary<string, Value> F(params (string Key, Value Value)[] fields)
    {
        var result = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            result.Add(key, value);
        }

        return result;
    }

    /// <summary>Writes a document with a plain set and checks it was applied.</summary>
    protected async Task Set(DocumentPath path, IReadOnlyDictionary<string, Value> fields)
    {
        var outcomes = await Store.WriteBatchAsync([DocumentWrite.Set(path, fields)]);
        Assert.True(outcomes[0].Applied, $"set {path} was not applied");
    }

    /// <summary>Writes a document with a plain set and reads it back.</summary>
    protected async Task<DocumentSnapshot> SetAndGet(DocumentPath path, IReadOnlyDictionary<string, Value> fields)
    {
        await Set(path, fields);
        return await Get(path);
    }

    /// <summary>Reads one document.</summary>
    protected async Task<DocumentSnapshot> Get(DocumentPath path) => (await Store.GetAllAsync([path])).Single();

    /// <summary>Runs a query and returns the ids of the results, in order.</summary>
    protected async Task<IReadOnlyList<string>> Ids(DocumentQuery query) =>
        (await Store.QueryAsync(query)).Select(s => s.Path.Id).ToArray();

    /// <summary>Writes the fields, reads them back by path and by query, checks both agree, and returns them.</summary>
    protected async Task<IReadOnlyDictionary<string, Value>> RoundTrip(IReadOnlyDictionary<string, Value> fields)
    {
        var path = Doc("roundtrip", "doc");
        await Set(path, fields);
        var read = await Get(path);
        Assert.True(read.Exists);
        var queried = Assert.Single(await Store.QueryAsync(new DocumentQuery(path.Collection, [])));
        AssertFields(read.Fields, queried.Fields);
        return read.Fields;
    }

    /// <summary>Checks that the fields come back exactly as written.</summary>
    protected async Task AssertRoundTrip(IReadOnlyDictionary<string, Value> fields) => AssertFields(fields, await RoundTrip(fields));

    /// <summary>
    /// Checks two field sets are the same: same kinds, integers and doubles never confused, doubles compared by
    /// bits (so -0.0 differs from 0.0), except that any NaN equals any NaN (a backend may canonicalize NaN's payload).
    /// </summary>
    protected static void AssertFields(IReadOnlyDictionary<string, Value> expected, IReadOnlyDictionary<string, Value> actual)
    {
        foreach (var (key, value) in expected)
        {
            Assert.True(actual.TryGetValue(key, out var other), $"field '{key}' is missing; got {Value.Map(actual)}");
            Assert.True(Same(value, other!), $"field '{key}': expected {value} but found {other}");
        }

        var extra = actual.Keys.Except(expected.Keys, StringComparer.Ordinal).ToArray();
        Assert.True(extra.Length == 0, $"unexpected fields: {string.Join(", ", extra)}");
    }

    private static bool Same(Value left, Value right)
    {
        if (left.Kind != right.Kind)
        {
            return false;
        }

        return left.Kind switch
        {
            ValueKind.Double when double.IsNaN(left.AsDouble()) => double.IsNaN(right.AsDouble()),
            ValueKind.Array => left.AsArray().Count == right.AsArray().Count && left.AsArray().Zip(right.AsArray()).All(p => Same(p.First, p.Second)),
            ValueKind.Map => left.AsMap().Count == right.AsMap().Count
                && left.AsMap().All(p => right.AsMap().TryGetValue(p.Key, out var r) && Same(p.Value, r)),
            _ => left.Equals(right),
        };
    }
}
