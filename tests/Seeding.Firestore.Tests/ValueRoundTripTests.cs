using Seeding.Store;
using Seeding.Values;
using static Seeding.Firestore.Tests.TestData;

namespace Seeding.Firestore.Tests;

/// <summary>Every value kind survives a write and a read through the real emulator exactly.</summary>
public sealed class ValueRoundTripTests
{
    [Fact]
    public async Task Every_value_kind_round_trips_exactly()
    {
        var (store, _) = await NewStoreAsync();
        await using var _ = store;
        var path = P("kinds/all");
        var fields = AllKinds();

        var outcome = Assert.Single(await store.WriteBatchAsync([DocumentWrite.Create(path, fields)]));
        Assert.True(outcome.Applied);

        var read = Assert.Single(await store.GetAllAsync([path]));
        Assert.True(read.Exists);
        Assert.Equal(fields.Keys.Order(), read.Fields.Keys.Order());
        foreach (var (key, value) in fields)
        {
            Assert.True(value.Equals(read.Fields[key]), $"{key}: wrote {value}, read {read.Fields[key]}");
        }

        Assert.Equal(outcome.UpdateTime, read.UpdateTime);
        Assert.Equal(read.CreateTime, read.UpdateTime);
    }

    [Fact]
    public async Task Server_timestamps_top_level_and_nested_become_the_commit_time()
    {
        var (store, _) = await NewStoreAsync();
        await using var _ = store;
        var path = P("audit/e1");
        var fields = F(
            ("at", Value.ServerTimestamp),
            ("meta", Value.Map(F(("by", Value.String("seed")), ("at", Value.ServerTimestamp), ("deep", Value.Map(F(("at", Value.ServerTimestamp))))))),
            ("odd key", Value.Map(F(("a.b", Value.ServerTimestamp)))));

        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var outcome = Assert.Single(await store.CommitAsync([DocumentWrite.Create(path, fields)]));
        var read = Assert.Single(await store.GetAllAsync([path]));

        // Firestore's REQUEST_TIME is the time the server processed the request, in milliseconds: one value for
        // every placeholder of the request, at or before the commit's update time (microseconds), not equal to it.
        var serverTime = read.Fields["at"].AsTimestamp();
        Assert.Equal(0, serverTime.UnixMicroseconds % 1000);
        Assert.InRange(serverTime.UnixMicroseconds, Timestamp.FromDateTimeOffset(before).UnixMicroseconds, outcome.UpdateTime!.Value.UnixMicroseconds);
        var resolved = Value.Timestamp(serverTime);
        var meta = read.Fields["meta"].AsMap();
        Assert.Equal(Value.String("seed"), meta["by"]);
        Assert.Equal(resolved, meta["at"]);
        Assert.Equal(resolved, meta["deep"].AsMap()["at"]);
        Assert.Equal(resolved, read.Fields["odd key"].AsMap()["a.b"]);
    }

    [Fact]
    public async Task Server_time_inside_an_array_is_refused_with_a_clear_message()
    {
        var (store, calls) = await NewStoreAsync();
        await using var _ = store;
        var e = await Assert.ThrowsAsync<NotSupportedException>(() =>
            store.WriteBatchAsync([DocumentWrite.Set(P("c/d"), F(("list", Value.Array(Value.ServerTimestamp))))]));
        Assert.Contains("inside an array", e.Message);
        Assert.Equal(0, calls["BatchWrite"]);
    }
}
