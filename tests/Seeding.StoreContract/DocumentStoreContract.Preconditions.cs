using Seeding.Store;
using Seeding.Values;

namespace Seeding.StoreContract;

// Preconditions: a failed one skips its write in a batch and aborts a commit; update-time and must-exist
// preconditions hold exactly while the document is as expected.
public abstract partial class DocumentStoreContract
{
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
}
