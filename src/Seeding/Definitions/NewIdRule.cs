using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Seeding.Documents;

namespace Seeding.Definitions;

/// <summary>
/// How a <c>match</c> step names a new document: literal text with <c>{hex:N}</c> (N random hex digits) or
/// <c>{hash:N}</c> (the first N hex digits of SHA-256 over the match values: the same id on every replica, so two
/// runners starting together collide on one id instead of creating two documents).
/// </summary>
public sealed partial class NewIdRule
{
    private NewIdRule(string pattern, bool isDerived)
    {
        Pattern = pattern;
        IsDerived = isDerived;
    }

    /// <summary>The rule as written, e.g. <c>user-{hex:8}</c>.</summary>
    public string Pattern { get; }

    /// <summary>True when ids derive from the match values only (no random part).</summary>
    public bool IsDerived { get; }

    /// <summary>Parses a rule.</summary>
    /// <exception cref="FormatException">The rule has no placeholder or an invalid one.</exception>
    public static NewIdRule Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var placeholders = Placeholder().Matches(pattern);
        if (placeholders.Count == 0)
        {
            throw new FormatException($"new_id '{pattern}' has no {{hex:N}} or {{hash:N}} placeholder, so every new document would get the same id.");
        }

        foreach (Match m in placeholders)
        {
            var length = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (length is < 4 or > 64)
            {
                throw new FormatException($"new_id '{pattern}': {m.Value} must have between 4 and 64 digits.");
            }
        }

        var isDerived = placeholders.All(m => m.Groups[1].Value == "hash");
        return new NewIdRule(pattern, isDerived);
    }

    /// <summary>Makes an id for a document identified by <paramref name="matchValues"/> (in match-field order).</summary>
    public string NewId(IReadOnlyList<string> matchValues)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", matchValues))));
        var id = Placeholder().Replace(Pattern, m =>
        {
            var length = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            return m.Groups[1].Value == "hash"
                ? hash[..length]
                : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];
        });
        var problem = DocumentRules.ValidateId(id);
        return problem is null ? id : throw new FormatException($"new_id '{Pattern}' made an invalid id: {problem}.");
    }

    [GeneratedRegex(@"\{(hex|hash):(\d{1,3})\}")]
    private static partial Regex Placeholder();
}
