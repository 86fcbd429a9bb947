using System;
using System.Globalization;
using System.Text;
using Seeding.Documents;

namespace Seeding.Resources;

// Pub/Sub's rules for topic and subscription ids, labels, durations and settings, and the field-path and collection
// group rules of Firestore indexes, written once. The generator compiles this file too (as a linked source, see
// Seeding.Generators.csproj), so it keeps to what netstandard2.0 offers and declares no accessibility: the runtime's
// other part (ResourceRules.Public.cs) makes the class public; in the generator it is internal.
static partial class ResourceRules
{
    /// <summary>The fewest characters of a topic or subscription id.</summary>
    public const int MinIdLength = 3;

    /// <summary>The most characters of a topic or subscription id.</summary>
    public const int MaxIdLength = 255;

    /// <summary>The most labels a topic or subscription may carry.</summary>
    public const int MaxLabels = 64;

    /// <summary>The most characters of a label key or value.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>The fewest delivery attempts a dead-letter policy allows.</summary>
    public const int MinDeliveryAttempts = 5;

    /// <summary>The most delivery attempts a dead-letter policy allows.</summary>
    public const int MaxDeliveryAttempts = 100;

    /// <summary>The most UTF-8 bytes of a subscription filter.</summary>
    public const int MaxFilterBytes = 256;

    /// <summary>The duration syntax in words, for messages.</summary>
    public const string DurationSyntax = "a whole number with a unit: s (seconds), m (minutes), h (hours) or d (days), e.g. 60s, 10m or 7d";

    /// <summary>The shortest acknowledgement deadline (10 seconds).</summary>
    public static readonly TimeSpan MinAckDeadline = TimeSpan.FromSeconds(10);

    /// <summary>The longest acknowledgement deadline (600 seconds).</summary>
    public static readonly TimeSpan MaxAckDeadline = TimeSpan.FromSeconds(600);

    /// <summary>The shortest message retention of a topic or subscription (10 minutes).</summary>
    public static readonly TimeSpan MinMessageRetention = TimeSpan.FromMinutes(10);

    /// <summary>The longest message retention of a subscription (31 days, as for a topic; Pub/Sub's default is 7 days).</summary>
    public static readonly TimeSpan MaxSubscriptionRetention = TimeSpan.FromDays(31);

    /// <summary>The longest message retention of a topic (31 days).</summary>
    public static readonly TimeSpan MaxTopicRetention = TimeSpan.FromDays(31);

    // Durations above this many units are no Pub/Sub setting and would overflow a TimeSpan.
    private const long MaxDurationAmount = 1_000_000_000;

    /// <summary>
    /// Returns why <paramref name="id"/> is not a valid topic or subscription id, or null when it is: 3 to 255
    /// characters, starting with a letter, of letters, digits and <c>- . _ ~ % +</c>, not starting with <c>goog</c>.
    /// </summary>
    /// <param name="id">The id within the project, e.g. <c>audit-events</c> (not the full resource name).</param>
    /// <param name="what">What the id names, for the message: <c>topic</c> or <c>subscription</c>.</param>
    public static string? ValidatePubSubId(string id, string what)
    {
        if (string.IsNullOrEmpty(id))
        {
            return $"a {what} id must not be empty";
        }

        var quoted = "'" + DocumentRules.Shorten(id) + "'";
        if (id.Length < MinIdLength || id.Length > MaxIdLength)
        {
            return $"{quoted} is {id.Length} characters long; Pub/Sub allows {MinIdLength} to {MaxIdLength}";
        }

        if (!IsAsciiLetter(id[0]))
        {
            return $"{quoted} starts with '{Visible(id[0])}'; a {what} id starts with a letter (A-Z or a-z)";
        }

        if (id.StartsWith("goog", StringComparison.Ordinal))
        {
            return $"{quoted} starts with 'goog', which Pub/Sub reserves; choose another name";
        }

        foreach (var c in id)
        {
            if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9') && "-._~%+".IndexOf(c) < 0)
            {
                return $"{quoted} contains '{Visible(c)}'; a {what} id holds letters, digits and - . _ ~ % + only";
            }
        }

        return null;
    }

    /// <summary>
    /// Returns why <paramref name="key"/> is not a valid label key, or null when it is: 1 to 63 lowercase letters,
    /// digits, '_' or '-', starting with a lowercase letter.
    /// </summary>
    public static string? ValidateLabelKey(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "a label key must not be empty";
        }

        if (!char.IsLower(key[0]))
        {
            return $"label key '{DocumentRules.Shorten(key)}' starts with '{Visible(key[0])}'; a label key starts with a lowercase letter";
        }

        return LabelTextProblem(key, "label key");
    }

    /// <summary>Returns why <paramref name="value"/> is not a valid label value, or null when it is: up to 63 lowercase letters, digits, '_' or '-' (empty allowed).</summary>
    public static string? ValidateLabelValue(string value) =>
        LabelTextProblem(value ?? throw new ArgumentNullException(nameof(value)), "label value");

    /// <summary>Returns why <paramref name="count"/> labels are too many for one topic or subscription (more than 64), or null.</summary>
    public static string? ValidateLabelCount(int count) => count > MaxLabels
        ? $"{count.ToString(CultureInfo.InvariantCulture)} labels; Pub/Sub allows at most {MaxLabels}"
        : null;

    /// <summary>Reads a duration written as a whole number and a unit (<c>60s</c>, <c>10m</c>, <c>1h</c>, <c>7d</c>); false for anything else.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || text.Length < 2 || text.Length > 11)
        {
            return false;
        }

        var seconds = text[text.Length - 1] switch
        {
            's' => 1L,
            'm' => 60L,
            'h' => 3600L,
            'd' => 86400L,
            _ => 0L,
        };
        var digits = text.Substring(0, text.Length - 1);
        if (seconds == 0 || !IsDigits(digits) || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > MaxDurationAmount)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * seconds);
        return true;
    }

    /// <summary>A whole-second duration in the largest unit that states it exactly, e.g. <c>7d</c>, <c>90m</c>, <c>45s</c>.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds != 0 && seconds % 86400 == 0)
        {
            return (seconds / 86400).ToString(CultureInfo.InvariantCulture) + "d";
        }

        if (seconds != 0 && seconds % 3600 == 0)
        {
            return (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h";
        }

        return seconds != 0 && seconds % 60 == 0 ? (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m" : seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }

    /// <summary>Returns why a subscription's acknowledgement deadline is out of Pub/Sub's range (10s to 600s), or null.</summary>
    public static string? ValidateAckDeadline(TimeSpan deadline) => RangeProblem(deadline, MinAckDeadline, MaxAckDeadline, "an acknowledgement deadline");

    /// <summary>Returns why a topic's message retention is out of Pub/Sub's range (10m to 31d), or null.</summary>
    public static string? ValidateTopicRetention(TimeSpan retention) => RangeProblem(retention, MinMessageRetention, MaxTopicRetention, "a topic's message retention");

    /// <summary>Returns why a subscription's message retention is out of Pub/Sub's range (10m to 31d), or null.</summary>
    public static string? ValidateSubscriptionRetention(TimeSpan retention) => RangeProblem(retention, MinMessageRetention, MaxSubscriptionRetention, "a subscription's message retention");

    /// <summary>Returns why a dead-letter policy's maximum delivery attempts are out of Pub/Sub's range (5 to 100), or null.</summary>
    public static string? ValidateMaxDeliveryAttempts(long attempts) => attempts < MinDeliveryAttempts || attempts > MaxDeliveryAttempts
        ? $"{attempts.ToString(CultureInfo.InvariantCulture)} delivery attempts are too {(attempts < MinDeliveryAttempts ? "few" : "many")}; Pub/Sub allows {MinDeliveryAttempts} to {MaxDeliveryAttempts}"
        : null;

    /// <summary>Returns why <paramref name="filter"/> cannot be a subscription filter (empty, or longer than 256 UTF-8 bytes), or null.</summary>
    public static string? ValidateFilter(string filter)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return "a filter must not be empty; leave 'filter:' out to receive every message";
        }

        var bytes = Encoding.UTF8.GetByteCount(filter);
        return bytes > MaxFilterBytes ? $"the filter is {bytes} bytes long; Pub/Sub allows at most {MaxFilterBytes}" : null;
    }

    /// <summary>
    /// Returns why <paramref name="endpoint"/> cannot be a push endpoint, or null: Pub/Sub pushes only to an absolute
    /// <c>https://</c> URL (with a certificate it trusts), so <c>http://</c> is refused as well.
    /// </summary>
    public static string? ValidatePushEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return $"'{DocumentRules.Shorten(endpoint ?? string.Empty)}' is not an absolute URL; write https://host/path";
        }

        return uri.Scheme == "https"
            ? null
            : $"'{DocumentRules.Shorten(endpoint)}' is not https; Pub/Sub pushes only to https endpoints with a valid certificate (http is refused, also for local tests: use a pull subscription there)";
    }

    /// <summary>
    /// Returns why <paramref name="path"/> is not a field path an index can name, or null: field names joined by
    /// '.', e.g. <c>tenant_id</c> or <c>profile.email</c>, each name valid by <see cref="DocumentRules.ValidateFieldName"/>.
    /// </summary>
    public static string? ValidateFieldPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "a field path must not be empty";
        }

        foreach (var segment in path.Split('.'))
        {
            if (segment.Length == 0)
            {
                return $"field path '{DocumentRules.Shorten(path)}' has an empty name between dots; write names joined by single dots, e.g. profile.email";
            }

            var problem = DocumentRules.ValidateFieldName(segment);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Returns why <paramref name="collectionGroup"/> is not a collection group (a collection id, without '/'), or null.</summary>
    public static string? ValidateCollectionGroup(string collectionGroup)
    {
        if (!string.IsNullOrEmpty(collectionGroup) && collectionGroup.IndexOf('/') >= 0)
        {
            return $"'{DocumentRules.Shorten(collectionGroup)}' is a path; an index names a collection group, the last segment of a collection path (e.g. 'users' for tenants/t1/users)";
        }

        return DocumentRules.ValidateId(collectionGroup ?? string.Empty);
    }

    private static string? LabelTextProblem(string text, string what)
    {
        if (text.Length > MaxLabelLength)
        {
            return $"{what} '{DocumentRules.Shorten(text)}' is {text.Length} characters long; Pub/Sub allows at most {MaxLabelLength}";
        }

        foreach (var c in text)
        {
            if (!char.IsLower(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-')
            {
                return $"{what} '{DocumentRules.Shorten(text)}' contains '{Visible(c)}'; labels hold lowercase letters, digits, '_' and '-' only";
            }
        }

        return null;
    }

    private static string? RangeProblem(TimeSpan value, TimeSpan min, TimeSpan max, string what) => value < min || value > max
        ? $"{FormatDuration(value)} is too {(value < min ? "short" : "long")} for {what}; Pub/Sub allows {FormatDuration(min)} to {FormatDuration(max)}"
        : null;

    private static bool IsAsciiLetter(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    // A character as messages show it: control and format characters as U+XXXX, so a message stays one readable line.
    private static string Visible(char c) => c < 0x20 || c == 0x7F || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format || char.IsWhiteSpace(c)
        ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
        : c.ToString();
}
