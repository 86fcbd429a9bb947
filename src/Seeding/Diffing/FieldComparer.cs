using System.Text;
using Seeding.Running;
using Seeding.Values;

namespace Seeding.Diffing;

/// <summary>
/// Compares a live document with its declared fields, field by field, with the runner's own rule
/// (<see cref="SeedPlanner.Holds"/>: equal values, a <c>!now</c> satisfied by any timestamp). Maps are followed down to the
/// keys that differ, so a report says <c>limits.surveys</c>, not the whole map.
/// </summary>
internal static class FieldComparer
{
    public static List<FieldDiff> Compare(IReadOnlyDictionary<string, Value> live, DeclaredDocument declared, bool showUnmanaged)
    {
        var diffs = new List<FieldDiff>(0);
        foreach (var (name, value) in declared.Fields)
        {
            var redacted = declared.Redacted?.Contains(name) == true;
            var first = diffs.Count;
            var current = live.TryGetValue(name, out var found) ? found : null;
            if (current is not null && SeedPlanner.Holds(current, value))
            {
                continue; // the common case, decided before any path text is made
            }

            Compare(Segment(name), current, value, redacted, diffs);
            if (diffs.Count > first && declared.Pending?.Contains(name) == true)
            {
                // A migration not applied yet writes this field: what differs is what the next run changes, not drift.
                for (var i = first; i < diffs.Count; i++)
                {
                    diffs[i] = diffs[i] with { Pending = true };
                }
            }
        }

        if (showUnmanaged)
        {
            foreach (var (name, value) in live)
            {
                if (!declared.Fields.ContainsKey(name))
                {
                    diffs.Add(new FieldDiff(Segment(name), FieldDrift.Unmanaged, value, null));
                }
            }
        }

        return diffs;
    }

    private static void Compare(string path, Value? live, Value declared, bool redacted, List<FieldDiff> diffs)
    {
        if (live is null)
        {
            diffs.Add(new FieldDiff(path, FieldDrift.Absent, null, redacted ? null : declared) { Redacted = redacted });
            return;
        }

        if (SeedPlanner.Holds(live, declared))
        {
            return;
        }

        if (!redacted && live.Kind == ValueKind.Map && declared.Kind == ValueKind.Map)
        {
            var liveMap = live.AsMap();
            foreach (var (key, value) in declared.AsMap())
            {
                Compare($"{path}.{Segment(key)}", liveMap.TryGetValue(key, out var current) ? current : null, value, false, diffs);
            }

            foreach (var (key, value) in liveMap)
            {
                if (!declared.AsMap().ContainsKey(key))
                {
                    diffs.Add(new FieldDiff($"{path}.{Segment(key)}", FieldDrift.Undeclared, value, null));
                }
            }

            return;
        }

        diffs.Add(new FieldDiff(path, FieldDrift.Changed, redacted ? null : live, redacted ? null : declared) { Redacted = redacted });
    }

    // Firestore's field path syntax: a simple name as it is, anything else in backquotes with ` and \ escaped.
    private static string Segment(string name)
    {
        if (name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return name;
        }

        var quoted = new StringBuilder("`");
        foreach (var c in name)
        {
            quoted.Append(c is '`' or '\\' ? "\\" : string.Empty).Append(c);
        }

        return quoted.Append('`').ToString();
    }
}
