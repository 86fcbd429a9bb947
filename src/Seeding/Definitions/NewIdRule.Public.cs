using System.Security.Cryptography;
using System.Text;
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
    /// <exception cref="FormatException">The rule has no placeholder, an invalid one, or makes ids Firestore rejects.</exception>
    public static NewIdRule Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var problem = FindProblem(pattern, out var isDerived);
        return problem is null ? new NewIdRule(pattern, isDerived) : throw new FormatException($"new_id '{pattern}': {problem}.");
    }

    /// <summary>Makes an id for a document identified by <paramref name="matchValues"/> (in match-field order).</summary>
    public string NewId(IReadOnlyList<string> matchValues)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", matchValues))));
        var id = PlaceholderRegex.Replace(Pattern, m =>
        {
            var length = DigitsOf(m);
            return m.Groups[1].Value == "hash"
                ? hash[..length]
                : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];
        });
        var problem = DocumentRules.ValidateId(id);
        return problem is null ? id : throw new FormatException($"new_id '{Pattern}' made an invalid id: {problem}.");
    }
}
