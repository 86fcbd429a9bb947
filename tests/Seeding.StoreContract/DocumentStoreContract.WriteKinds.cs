using Seeding.Store;
using Seeding.Values;

namespace Seeding.StoreContract;

// What each write kind does (merge, set, delete, empty documents), and the times a write leaves behind: one request
// time for server timestamps, update times that increase, create times that stay.
public abstract partial class DocumentStoreContract
{
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
}
