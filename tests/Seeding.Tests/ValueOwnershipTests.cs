using Seeding.Values;

namespace Seeding.Tests;

/// <summary>
/// The decoders' factories that take over a freshly built array or dictionary instead of copying it
/// (<c>Value.OwnArray</c>, <c>Value.OwnMap</c>): the same values as the public, copying factories, and the same rules.
/// </summary>
public class ValueOwnershipTests
{
    [Fact]
    public void An_owned_array_is_the_same_value_as_a_copied_one_and_read_only()
    {
        var owned = Value.OwnArray([Value.Integer(1), Value.String("a"), Value.Null]);

        Assert.Equal(Value.Array(Value.Integer(1), Value.String("a"), Value.Null), owned);
        Assert.Equal(Value.Array(Value.Integer(1), Value.String("a"), Value.Null).GetHashCode(), owned.GetHashCode());
        Assert.Equal("[1, \"a\", null]", owned.ToString());
        Assert.IsNotType<Value[]>(owned.AsArray()); // a read-only view: no caller can write through it
        Assert.Throws<NotSupportedException>(() => ((IList<Value>)owned.AsArray())[0] = Value.Null);
    }

    [Fact]
    public void An_owned_map_is_the_same_value_as_a_copied_one_and_read_only()
    {
        var owned = Value.OwnMap(new Dictionary<string, Value>(StringComparer.Ordinal) { ["b"] = Value.Boolean(true), ["a"] = Value.Integer(2) });

        Assert.Equal(Value.Map([new("a", Value.Integer(2)), new("b", Value.Boolean(true))]), owned);
        Assert.Equal("{a: 2, b: true}", owned.ToString());
        Assert.IsNotType<Dictionary<string, Value>>(owned.AsMap());
        Assert.Throws<NotSupportedException>(() => ((IDictionary<string, Value>)owned.AsMap())["c"] = Value.Null);
        Assert.Empty(Value.OwnMap(new Dictionary<string, Value>(StringComparer.Ordinal)).AsMap());
    }

    [Fact]
    public void Owned_containers_follow_the_rules_of_the_copying_factories()
    {
        // Null items are refused as Value.Array and Value.Map refuse them.
        Assert.Throws<ArgumentException>(() => Value.OwnArray([Value.Integer(1), null!]));
        Assert.Throws<ArgumentException>(() => Value.OwnMap(new Dictionary<string, Value>(StringComparer.Ordinal) { ["a"] = null! }));

        // Keys compare ordinally in every map: a dictionary that folds case would make "A" and "a" one field.
        var ignoringCase = Assert.Throws<ArgumentException>(() => Value.OwnMap(new Dictionary<string, Value>(StringComparer.OrdinalIgnoreCase) { ["a"] = Value.Null }));
        Assert.Contains("StringComparer.Ordinal", ignoringCase.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Value.OwnMap(new Dictionary<string, Value> { ["a"] = Value.Null }));
    }
}
