using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Seeding.Documents;

namespace Seeding.Definitions;

// What makes a new_id pattern valid, written once. The generator compiles this file too (as a linked source, see
// Seeding.Generators.csproj), so it keeps to what netstandard2.0 offers and declares no accessibility: the
// runtime's part (NewIdRule.Public.cs) makes the class public and adds the ids; in the generator it is internal.
sealed partial class NewIdRule
{
    /// <summary>A placeholder: <c>{hex:N}</c> (N random hex digits) or <c>{hash:N}</c> (derived from the match values).</summary>
    private static readonly Regex PlaceholderRegex = new(@"\{(hex|hash):(\d{1,3})\}", RegexOptions.CultureInvariant);

    /// <summary>
    /// Returns why <paramref name="pattern"/> is not a usable id rule, or null: it needs at least one placeholder,
    /// each with 4 to 64 digits, no other braces, and must make ids Firestore accepts.
    /// <paramref name="isDerived"/> is true when every placeholder is <c>{hash:N}</c>.
    /// </summary>
    internal static string? FindProblem(string pattern, out bool isDerived)
    {
        var placeholders = PlaceholderRegex.Matches(pattern).Cast<Match>().ToList();
        isDerived = placeholders.Count > 0 && placeholders.All(m => m.Groups[1].Value == "hash");
        if (placeholders.Count == 0)
        {
            return "it has no {hex:N} or {hash:N} placeholder, so every new document would get the same id";
        }

        if (placeholders.FirstOrDefault(p => DigitsOf(p) is < 4 or > 64) is { } bad)
        {
            return $"{bad.Value} must have between 4 and 64 digits";
        }

        var literal = PlaceholderRegex.Replace(pattern, string.Empty);
        if (literal.IndexOfAny(new[] { '{', '}' }) >= 0)
        {
            return "only {hex:N} (N random hex digits) and {hash:N} (derived from the match values) are placeholders";
        }

        // Hex digits never make an id invalid, so an id with 'a' for every digit stands for all of them.
        return DocumentRules.ValidateId(PlaceholderRegex.Replace(pattern, m => new string('a', DigitsOf(m))));
    }

    private static int DigitsOf(Match placeholder) => int.Parse(placeholder.Groups[2].Value, CultureInfo.InvariantCulture);
}
