using Seeding.Store;
using Seeding.Values;

namespace Seeding.Tests;

/// <summary>
/// <see cref="ServerValues.Satisfies"/>: the one rule for "the stored value is what the declared one writes", used by
/// the planner (an unchanged upsert is skipped) and by the Firestore store (a write whose response was lost is
/// recognised as landed).
/// </summary>
public sealed class ServerValuesTests
{
    private static readonly Value Stored = Value.Timestamp(Timestamp.FromUnixMicroseconds(1_700_000_000_123_000));

    [Fact]
    public void A_server_timestamp_is_satisfied_by_any_stored_timestamp_but_by_nothing_else()
    {
        Assert.True(ServerValues.Satisfies(Stored, Value.ServerTimestamp));
        Assert.False(ServerValues.Satisfies(Value.String("2024-01-01T00:00:00Z"), Value.ServerTimestamp));
        Assert.False(ServerValues.Satisfies(Value.Null, Value.ServerTimestamp));
    }

    [Fact]
    public void Values_without_server_time_must_be_equal()
    {
        Assert.True(ServerValues.Satisfies(Value.Integer(3), Value.Integer(3)));
        Assert.False(ServerValues.Satisfies(Value.Integer(3), Value.Integer(4)));
        Assert.False(ServerValues.Satisfies(Stored, Value.Timestamp(Timestamp.FromUnixMicroseconds(1_700_000_001_000_000))));
    }

    [Fact]
    public void Maps_and_arrays_holding_server_time_match_member_by_member_and_in_size()
    {
        var declared = Value.Map(new Dictionary<string, Value> { ["at"] = Value.ServerTimestamp, ["by"] = Value.String("seed") });
        Assert.True(ServerValues.Satisfies(Value.Map(new Dictionary<string, Value> { ["at"] = Stored, ["by"] = Value.String("seed") }), declared));
        Assert.False(ServerValues.Satisfies(Value.Map(new Dictionary<string, Value> { ["at"] = Stored, ["by"] = Value.String("other") }), declared));
        Assert.False(ServerValues.Satisfies(Value.Map(new Dictionary<string, Value> { ["at"] = Stored, ["by"] = Value.String("seed"), ["x"] = Value.Null }), declared));
        Assert.False(ServerValues.Satisfies(Value.Map(new Dictionary<string, Value> { ["when"] = Stored, ["by"] = Value.String("seed") }), declared));

        var array = Value.Array([Value.ServerTimestamp, Value.Boolean(true)]);
        Assert.True(ServerValues.Satisfies(Value.Array([Stored, Value.Boolean(true)]), array));
        Assert.False(ServerValues.Satisfies(Value.Array([Stored]), array));
    }
}
