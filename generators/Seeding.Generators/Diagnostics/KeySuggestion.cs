using System;
using System.Collections.Generic;
using System.Linq;

namespace Seeding.Generators.Diagnostics;

/// <summary>
/// What to say after "Unknown key 'x'" (SEED004): "Did you mean 'documents'?" when an allowed key is a likely
/// misspelling of it, else the allowed keys. A misspelling is a small Damerau-Levenshtein distance (one edit for keys
/// of up to 4 characters, two up to 8, three beyond), ignoring case and '-' versus '_'; failing that, a key of 4 or
/// more characters that is whole words of an allowed key (<c>attempts</c> for <c>max_delivery_attempts</c>).
/// </summary>
internal static class KeySuggestion
{
    /// <summary>The advice sentence for <paramref name="key"/>, which is not one of <paramref name="allowed"/>.</summary>
    public static string Advice(string key, IReadOnlyCollection<string> allowed)
    {
        var close = Closest(key, allowed);
        return close.Count switch
        {
            0 => $"Allowed keys: {string.Join(", ", allowed)}.",
            1 => $"Did you mean '{close[0]}'?",
            _ => $"Did you mean {string.Join(" or ", close.Select(k => $"'{k}'"))}?",
        };
    }

    /// <summary>The allowed keys nearest to <paramref name="key"/> within the threshold (at most 3, in the order given); none when no key is near.</summary>
    public static IReadOnlyList<string> Closest(string key, IEnumerable<string> allowed)
    {
        var typed = Normalize(key);
        var threshold = typed.Length <= 4 ? 1 : typed.Length <= 8 ? 2 : 3;
        var scored = allowed
            .Select(candidate => (Key: candidate, Distance: Distance(typed, Normalize(candidate))))
            .Where(c => c.Distance <= threshold)
            .ToList();
        if (scored.Count == 0)
        {
            return typed.Length < 4
                ? Array.Empty<string>()
                : allowed.Where(candidate => ("_" + Normalize(candidate) + "_").Contains("_" + typed + "_")).Take(3).ToList();
        }

        var best = scored.Min(c => c.Distance);
        return scored.Where(c => c.Distance == best).Select(c => c.Key).Take(3).ToList();
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) that turn <paramref name="a"/> into <paramref name="b"/> (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }

    private static string Normalize(string key) => key.ToLowerInvariant().Replace('-', '_');
}
