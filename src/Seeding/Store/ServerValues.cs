using Seeding.Values;

namespace Seeding.Store;

/// <summary>Helpers for stores that resolve <see cref="Value.ServerTimestamp"/> themselves (in-memory, embedded).</summary>
public static class ServerValues
{
    /// <summary>Returns the fields with every server-time placeholder, at any depth, replaced by <paramref name="commitTime"/>.</summary>
    public static IReadOnlyDictionary<string, Value> Resolve(IReadOnlyDictionary<string, Value> fields, Timestamp commitTime)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var resolved = new Dictionary<string, Value>(fields.Count, StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            resolved[key] = Resolve(value, commitTime);
        }

        return resolved;
    }

    /// <summary>Returns the value with every server-time placeholder replaced by <paramref name="commitTime"/>.</summary>
    public static Value Resolve(Value value, Timestamp commitTime)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.ContainsServerTimestamp())
        {
            return value;
        }

        return value.Kind switch
        {
            ValueKind.Timestamp => Value.Timestamp(commitTime),
            ValueKind.Array => Value.Array(value.AsArray().Select(v => Resolve(v, commitTime))),
            ValueKind.Map => Value.Map(Resolve(value.AsMap(), commitTime)),
            _ => value,
        };
    }

    /// <summary>
    /// True when <paramref name="stored"/> is what writing <paramref name="declared"/> leaves behind: equal values, where
    /// each server-time placeholder is satisfied by any stored timestamp ("whenever it was written"). Used to skip an
    /// unchanged upsert and to recognise a write that landed although its response was lost.
    /// </summary>
    public static bool Satisfies(Value stored, Value declared)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(declared);
        if (!declared.ContainsServerTimestamp())
        {
            return stored.Equals(declared);
        }

        return (declared.Kind, stored.Kind) switch
        {
            (ValueKind.Timestamp, ValueKind.Timestamp) => true,
            (ValueKind.Map, ValueKind.Map) => stored.AsMap().Count == declared.AsMap().Count
                && declared.AsMap().All(f => stored.AsMap().TryGetValue(f.Key, out var current) && Satisfies(current, f.Value)),
            (ValueKind.Array, ValueKind.Array) => stored.AsArray().Count == declared.AsArray().Count
                && stored.AsArray().Zip(declared.AsArray()).All(p => Satisfies(p.First, p.Second)),
            _ => false,
        };
    }
}
