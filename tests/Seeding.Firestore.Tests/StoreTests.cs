using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>The store's semantics against the real emulator: reads, per-write outcomes, atomic commits, merges.</summary>
public sealed class StoreTests
{
    [Fact]
    public async Task GetAll_answers_in_request_order_with_missing_and_repeated_paths_in_one_call()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        await store.WriteBatchAsync([DocumentWrite.Create(P("c/b"), F(("n", Value.Integer(2)))), DocumentWrite.Create(P("c/a"), F(("n", Value.Integer(1))))]);
        calls.Reset();

        var result = await store.GetAllAsync([P("c/b"), P("c/zz"), P("c/a"), P("c/b"), P("other/a/sub/x")]);

        Assert.Equal(["c/b", "c/zz", "c/a", "c/b", "other/a/sub/x"], result.Select(r => r.Path.ToString()));
        Assert.Equal([true, false, true, true, false], result.Select(r => r.Exists));
        Assert.Equal(Value.Integer(1), result[2].Fields["n"]);
        Assert.Equal(1, calls["BatchGetDocuments"]);
    }

    [Fact]
    public async Task WriteBatch_reports_each_precondition_on_its_own()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        var first = await store.WriteBatchAsync([DocumentWrite.Create(P("c/exists"), F(("v", Value.Integer(1)))), DocumentWrite.Create(P("c/stale"), F(("v", Value.Integer(1))))]);
        var stale = Timestamp.FromUnixMicroseconds(first[1].UpdateTime!.Value.UnixMicroseconds - 1);
        calls.Reset();

        var outcomes = await store.WriteBatchAsync([
            DocumentWrite.Create(P("c/exists"), F(("v", Value.Integer(2)))),
            DocumentWrite.Create(P("c/new"), F(("v", Value.Integer(3)))),
            DocumentWrite.Set(P("c/missing"), F(("v", Value.Integer(4))), Precondition.MustExist),
            DocumentWrite.Set(P("c/stale"), F(("v", Value.Integer(5))), Precondition.UpdatedAt(stale)),
            DocumentWrite.Delete(P("c/never"), Precondition.MustExist),
        ]);

        Assert.Equal([false, true, false, false, false], outcomes.Select(o => o.Applied));
        Assert.NotNull(outcomes[1].UpdateTime);
        Assert.Equal(1, calls["BatchWrite"]);
        var read = await store.GetAllAsync([P("c/exists"), P("c/new"), P("c/missing"), P("c/stale")]);
        Assert.Equal(Value.Integer(1), read[0].Fields["v"]);
        Assert.Equal(Value.Integer(1), read[3].Fields["v"]);
        Assert.Equal(Value.Integer(3), read[1].Fields["v"]);
        Assert.False(read[2].Exists);
    }

    [Fact]
    public async Task Several_writes_to_one_document_in_a_batch_apply_in_order()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        var outcomes = await store.WriteBatchAsync([
            DocumentWrite.Create(P("c/d"), F(("v", Value.Integer(1)))),
            DocumentWrite.Create(P("c/other"), F(("v", Value.Integer(1)))),
            DocumentWrite.Merge(P("c/d"), F(("w", Value.Integer(2)))),
            DocumentWrite.Create(P("c/d"), F(("v", Value.Integer(3)))),
        ]);

        Assert.Equal([true, true, true, false], outcomes.Select(o => o.Applied));
        Assert.Equal(3, calls["BatchWrite"]); // one per round: a path repeats, and Firestore refuses that in one request
        var read = (await store.GetAllAsync([P("c/d")]))[0];
        Assert.Equal(Value.Integer(1), read.Fields["v"]);
        Assert.Equal(Value.Integer(2), read.Fields["w"]);
    }

    [Fact]
    public async Task Update_time_precondition_accepts_the_current_time()
    {
        var (store, _) = await NewStoreAsync();
        await using var _ = store;
        var created = await store.CommitAsync([DocumentWrite.Create(P("c/d"), F(("v", Value.Integer(1))))]);
        var updated = await store.CommitAsync([DocumentWrite.Set(P("c/d"), F(("v", Value.Integer(2))), Precondition.UpdatedAt(created[0].UpdateTime!.Value))]);
        Assert.True(updated[0].Applied);
        Assert.True(updated[0].UpdateTime > created[0].UpdateTime);
    }

    [Fact]
    public async Task Commit_is_all_or_nothing_and_names_the_refused_document()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        await store.CommitAsync([DocumentWrite.Create(P("c/taken"), F(("v", Value.Integer(1))))]);
        calls.Reset();

        var e = await Assert.ThrowsAsync<PreconditionFailedException>(() => store.CommitAsync([
            DocumentWrite.Create(P("c/fresh"), F(("v", Value.Integer(2)))),
            DocumentWrite.Create(P("c/taken"), F(("v", Value.Integer(3)))),
        ]));

        Assert.True(P("c/taken") == e.Path, e.Message);
        Assert.Equal(1, calls["Commit"]);
        var read = await store.GetAllAsync([P("c/fresh"), P("c/taken")]);
        Assert.False(read[0].Exists);
        Assert.Equal(Value.Integer(1), read[1].Fields["v"]);
    }

    [Fact]
    public async Task Commit_refused_for_a_missing_document_names_it()
    {
        var (store, _) = await NewStoreAsync();
        await using var _ = store;
        var e = await Assert.ThrowsAsync<PreconditionFailedException>(() => store.CommitAsync([
            DocumentWrite.Set(P("c/ok"), F(("v", Value.Integer(1)))),
            DocumentWrite.Merge(P("c/gone"), F(("v", Value.Integer(1))), Precondition.MustExist),
        ]));
        Assert.Equal(P("c/gone"), e.Path);
        Assert.False((await store.GetAllAsync([P("c/ok")]))[0].Exists);
    }

    // Firestore's FAILED_PRECONDITION for a stale update time names no document ("the stored version (…) does not match
    // the required base version (…)"), and only an update-time precondition can cause it: not a create beside it. This
    // is how a runner learns that its lease (renewed in the same commit as a fenced create or a history record) is gone.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commit_refused_for_a_stale_update_time_names_that_document_not_a_create_beside_it(bool createFirst)
    {
        var (store, _) = await NewStoreAsync();
        await using var _ = store;
        var written = await store.CommitAsync([DocumentWrite.Set(P("locks/l"), F(("v", Value.Integer(1))))]);
        await store.CommitAsync([DocumentWrite.Set(P("locks/l"), F(("v", Value.Integer(2))))]); // taken over: its update time moved on
        var stale = DocumentWrite.Set(P("locks/l"), F(("v", Value.Integer(3))), Precondition.UpdatedAt(written[0].UpdateTime!.Value));
        var create = DocumentWrite.Create(P("users/new"), F(("v", Value.Integer(1))));

        var e = await Assert.ThrowsAsync<PreconditionFailedException>(() => store.CommitAsync(createFirst ? [create, stale] : [stale, create]));

        Assert.Equal(P("locks/l"), e.Path);
        Assert.False((await store.GetAllAsync([P("users/new")]))[0].Exists);
    }

    [Fact]
    public async Task Commit_refused_for_an_existing_document_names_the_create_not_an_update_time_write_beside_it()
    {
        var (store, _) = await NewStoreAsync();
        await using var _ = store;
        var written = await store.CommitAsync([DocumentWrite.Set(P("locks/l"), F(("v", Value.Integer(1)))), DocumentWrite.Set(P("users/taken"), F(("v", Value.Integer(1))))]);
        var renew = DocumentWrite.Set(P("locks/l"), F(("v", Value.Integer(2))), Precondition.UpdatedAt(written[0].UpdateTime!.Value));

        var e = await Assert.ThrowsAsync<PreconditionFailedException>(() => store.CommitAsync([renew, DocumentWrite.Create(P("users/taken"), F(("v", Value.Integer(2))))]));

        Assert.Equal(P("users/taken"), e.Path);
        Assert.Equal(Value.Integer(1), (await store.GetAllAsync([P("locks/l")]))[0].Fields["v"]);
    }

    [Fact]
    public async Task Set_replaces_merge_keeps_other_fields_and_delete_removes()
    {
        var (store, _) = await NewStoreAsync();
        await using var _ = store;
        var path = P("c/doc");
        await store.CommitAsync([DocumentWrite.Set(path, F(("a", Value.Integer(1)), ("b", Value.Map(F(("x", Value.Integer(1)), ("y", Value.Integer(2)))))))]);

        await store.CommitAsync([DocumentWrite.Merge(path, F(("b", Value.Map(F(("x", Value.Integer(9))))), ("c.d", Value.String("dotted")), ("t", Value.ServerTimestamp)))]);
        var merged = (await store.GetAllAsync([path]))[0];
        Assert.Equal(Value.Integer(1), merged.Fields["a"]);
        Assert.Equal(Value.Map(F(("x", Value.Integer(9)))), merged.Fields["b"]); // top-level fields are replaced whole, as in the contract
        Assert.Equal(Value.String("dotted"), merged.Fields["c.d"]);
        var updated = merged.UpdateTime!.Value.UnixMicroseconds;
        Assert.InRange(merged.Fields["t"].AsTimestamp().UnixMicroseconds, updated - 60_000_000, updated);

        await store.CommitAsync([DocumentWrite.Set(path, F(("only", Value.Boolean(true))))]);
        Assert.Equal(["only"], (await store.GetAllAsync([path]))[0].Fields.Keys);

        var deleted = await store.WriteBatchAsync([DocumentWrite.Delete(path, Precondition.MustExist)]);
        Assert.True(deleted[0].Applied);
        Assert.False((await store.GetAllAsync([path]))[0].Exists);
    }

    [Fact]
    public async Task Named_databases_are_separate_from_the_default_one()
    {
        var project = FirestoreEmulator.NewProjectId("named");
        await using var named = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync(project, "seeding-named"));
        await using var standard = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync(project));
        await named.CommitAsync([DocumentWrite.Create(P("c/d"), F(("db", Value.String("named"))))]);

        Assert.True((await named.GetAllAsync([P("c/d")]))[0].Exists);
        Assert.False((await standard.GetAllAsync([P("c/d")]))[0].Exists);
        Assert.Contains("seeding-named", named.Name);
    }

    [Fact]
    public async Task Batches_over_the_limit_are_refused_before_any_call()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        var writes = Enumerable.Range(0, 501).Select(i => DocumentWrite.Create(P($"c/{i}"), F())).ToArray();
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteBatchAsync(writes));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CommitAsync(writes));
        Assert.Empty(calls.Snapshot());
    }
}
