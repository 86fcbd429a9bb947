using Seeding.Firestore.Internal;
using Seeding.Values;
using Proto = Seeding.Firestore.Protocol;

namespace Seeding.Firestore.Tests;

/// <summary>
/// The converter shares field names between the documents it reads (fewer strings kept alive by snapshots read ahead),
/// and never gives a field another field's name, however many names share a slot of its cache.
/// </summary>
public sealed class FieldNameSharingTests
{
    private static readonly ResourceNames Names = new("p", "(default)");

    [Fact]
    public void Documents_read_by_one_converter_share_their_field_names_and_keep_their_values()
    {
        var converter = new ValueConverter(Names);
        var first = converter.FromFields(Wire(("name", "a"), ("email", "x@example.com")));
        var second = converter.FromFields(Wire(("name", "b"), ("email", "y@example.com")));

        Assert.Same(first.Keys.Single(k => k == "name"), second.Keys.Single(k => k == "name"));
        Assert.Equal([("email", Value.String("y@example.com")), ("name", Value.String("b"))], second.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void Many_names_through_a_small_cache_each_keep_their_own_name()
    {
        var converter = new ValueConverter(Names);
        // More names than the cache has slots, read twice: collisions replace slots, never rename a field.
        var names = Enumerable.Range(0, 2000).Select(i => $"field_{i}").ToArray();
        for (var round = 0; round < 2; round++)
        {
            var fields = converter.FromFields(Wire(names.Select(n => (n, n)).ToArray()));
            Assert.Equal(names.Order(StringComparer.Ordinal), fields.Keys.Order(StringComparer.Ordinal));
            Assert.All(fields, f => Assert.Equal(Value.String(f.Key), f.Value));
        }
    }

    private static Google.Protobuf.Collections.MapField<string, Proto.Value> Wire(params (string Name, string Text)[] fields)
    {
        var map = new Google.Protobuf.Collections.MapField<string, Proto.Value>();
        foreach (var (name, text) in fields)
        {
            map[new string(name.AsSpan())] = new Proto.Value { StringValue = text }; // a string of its own, as a parse makes
        }

        return map;
    }
}
