using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>Seeded random Firestore documents over every value kind, with strings, ids and field names YAML would misread.</summary>
internal static class RandomValues
{
    public static readonly string[] AwkwardStrings =
    [
        "null", "Null", "NULL", "~", "", "yes", "No", "on", "OFF", "y", "n", "true", "False", "0x1F", "0o17", "010", "-5", "+5", "1e3", "1E3", ".5", "5.",
        ".inf", "-.Inf", ".nan", ".NaN", "NaN", "Infinity", "2024-05-01", "2024-05-01T00:00:00Z", "12:30", "a: b", "a:b", "# not a comment", "x #y",
        "- dash", "? key", "!bang", "!ref roles/a", "*star", "&anchor", "%directive", "@at", "`tick", "[list]", "{map}", "'single'", "\"double\"",
        "x, y", "|block", ">folded", "line\nbreak", "line\r\nbreak\n", "tab\there", "\ttab", "cr\rhere", "nul\0byte", "back\\slash", "  padded  ",
        "trailing ", " leading", "Zürich", "日本語", "emoji \U0001F600", "\u202Egnp.exe", "\u200Frtl", "zero\u200Bwidth", "bom\uFEFF", "line\u2028sep",
        "para\u2029sep", "nel\u0085x", "bell\u0007", "del\u007F", "<<", "=", "-", "---", "...", "id", "__name__x", "a/b", "a.b", "`", "\\u0041",
    ];

    private const string Punctuation = " :#-?'\"[]{},&*!|>%@`\\";
    private const string Invisible = "\u2028\u2029\u200B\u200E\u200F\u202A\u202E\uFEFF\u0085";

    public static List<string> Ids(Random random, int count)
    {
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in AwkwardStrings.Concat(Enumerable.Range(0, count * 2).Select(i => i % 3 == 0 ? RandomString(random) : $"doc-{i}")))
        {
            if (ids.Count == count)
            {
                break;
            }

            if (IsValidId(candidate) && seen.Add(candidate))
            {
                ids.Add(candidate);
            }
        }

        return ids;
    }

    public static Dictionary<string, Value> Document(Random random, IReadOnlyList<string> ids)
    {
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
        var count = random.Next(0, 8);
        for (var i = 0; i < count; i++)
        {
            fields[FieldName(random)] = Any(random, ids, depth: 0);
        }

        return fields;
    }

    private static bool IsValidId(string id)
    {
        try
        {
            DocumentPath.Create("things", id);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string FieldName(Random random)
    {
        // A few fields recur across documents with different kinds (the exact_types case); others are awkward.
        while (true)
        {
            // The record gets a property per distinct name: keep them to a few hundred, as in real collections.
            var name = random.Next(20) switch
            {
                < 12 => "f" + random.Next(6),
                < 19 => AwkwardStrings[random.Next(AwkwardStrings.Length)],
                _ => RandomString(random),
            };
            // Firestore's rule (DocumentRules): not empty, not __reserved__ (the strings here have no lone surrogates).
            if (name.Length > 0 && !(name.Length >= 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal)))
            {
                return name;
            }
        }
    }

    private static Value Any(Random random, IReadOnlyList<string> ids, int depth, bool inArray = false)
    {
        var kind = random.Next(depth >= 3 ? 9 : 11);
        return kind switch
        {
            0 => Value.Null,
            1 => Value.Boolean(random.Next(2) == 0),
            2 => Value.Integer(random.Next(4) switch { 0 => long.MinValue, 1 => long.MaxValue, 2 => random.Next(-3, 3), _ => random.NextInt64() }),
            3 => Value.Double(Double(random)),
            4 => Value.Timestamp(Timestamp.FromUnixMicroseconds(random.NextInt64(-62135596800_000000, 253402300799_999999))),
            5 => Value.String(random.Next(2) == 0 ? AwkwardStrings[random.Next(AwkwardStrings.Length)] : RandomString(random)),
            6 => Value.Bytes(Bytes(random)),
            7 => Value.Reference(random.Next(3) switch
            {
                0 => DocumentPath.Create("things", ids[random.Next(ids.Count)]),
                1 => DocumentPath.Create("things", "missing-" + random.Next(5)),
                _ => DocumentPath.Create("other", "o1"),
            }),
            8 => Value.GeoPoint(new GeoPoint(Math.Round((random.NextDouble() * 180) - 90, random.Next(0, 12)), random.Next(4) == 0 ? -0.0 : Math.Round((random.NextDouble() * 360) - 180, random.Next(0, 12)))),
            9 => inArray ? Value.Null : Value.Array(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Any(random, ids, depth + 1, inArray: true))),
            _ => Value.Map(Enumerable.Range(0, random.Next(0, 4)).Select(_ => KeyValuePair.Create(FieldName(random), Any(random, ids, depth + 1))).DistinctBy(p => p.Key)),
        };
    }

    private static double Double(Random random) => random.Next(10) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => random.Next(-5, 5),
        5 => double.Epsilon,
        6 => double.MaxValue,
        7 => 1e21 * random.Next(1, 9),
        _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20)),
    };

    private static byte[] Bytes(Random random)
    {
        var bytes = new byte[random.Next(0, 12)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomString(Random random)
    {
        var chars = new char[random.Next(0, 10)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(6) switch
            {
                0 => (char)random.Next(0x20, 0x7F),
                1 => (char)random.Next(0, 0x20),
                2 => Punctuation[random.Next(Punctuation.Length)],
                3 => (char)random.Next(0xA0, 0x2FFF),
                4 => Invisible[random.Next(Invisible.Length)],
                _ => (char)random.Next('a', 'z' + 1),
            };
        }

        return new string(chars);
    }
}
