using System.Globalization;
using Seeding.Documents;

namespace Seeding.Resources;

/// <summary>
/// How the seed format spells a resource setting's value: the one rule for <see cref="ResourceYamlWriter"/> (which
/// writes them as YAML) and <see cref="SettingDifference"/> (which shows them live against declared).
/// </summary>
internal static class SettingText
{
    /// <summary>A duration, e.g. <c>7d</c>; null when absent.</summary>
    public static string? Duration(TimeSpan? duration) => duration is { } value ? ResourceRules.FormatDuration(value) : null;

    /// <summary>A string as a YAML scalar (quoted when YAML needs it); null when absent.</summary>
    public static string? Scalar(string? text) => text is null ? null : SeedYamlWriter.Scalar(text);

    /// <summary>Labels as a flow map sorted by key, e.g. <c>{ team: audit }</c>; <c>{}</c> when there are none.</summary>
    public static string Labels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var entries = labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{SeedYamlWriter.Scalar(l.Key)}: {SeedYamlWriter.Scalar(l.Value)}").ToArray();
        return entries.Length == 0 ? "{}" : $"{{ {string.Join(", ", entries)} }}";
    }

    /// <summary>A dead-letter policy, e.g. <c>{ topic: audit-dead, max_delivery_attempts: 10 }</c> (the count left out at Pub/Sub's default, 5); null when absent.</summary>
    public static string? DeadLetter(DeadLetterPolicy? policy) =>
        policy is null ? null
        : policy.MaxDeliveryAttempts == ResourceRules.MinDeliveryAttempts ? $"{{ topic: {SeedYamlWriter.Scalar(policy.Topic)} }}"
        : $"{{ topic: {SeedYamlWriter.Scalar(policy.Topic)}, max_delivery_attempts: {policy.MaxDeliveryAttempts.ToString(CultureInfo.InvariantCulture)} }}";

    /// <summary>A boolean, <c>true</c> or <c>false</c>.</summary>
    public static string Boolean(bool value) => value ? "true" : "false";

    /// <summary>A field's single-field indexes, sorted, in the short form (<c>[ascending, descending]</c>) when all have collection scope; null when absent.</summary>
    public static string? FieldIndexes(IReadOnlyList<FieldIndex>? indexes)
    {
        if (indexes is null)
        {
            return null;
        }

        var sorted = indexes.Distinct().OrderBy(i => i.Order).ThenBy(i => i.Scope).ToArray();
        // The short form ([ascending, descending]) means collection scope; any other scope needs the long form.
        var items = sorted.All(i => i.Scope == IndexScope.Collection)
            ? sorted.Select(i => Order(i.Order))
            : sorted.Select(i => $"{{ order: {Order(i.Order)}, scope: {Scope(i.Scope)} }}");
        return $"[{string.Join(", ", items)}]";
    }

    /// <summary>An index field's order: <c>ascending</c>, <c>descending</c> or <c>contains</c>.</summary>
    public static string Order(IndexOrder order) => order switch
    {
        IndexOrder.Ascending => "ascending",
        IndexOrder.Descending => "descending",
        _ => "contains",
    };

    /// <summary>An index's scope: <c>collection</c> or <c>collection_group</c>.</summary>
    public static string Scope(IndexScope scope) => scope == IndexScope.CollectionGroup ? "collection_group" : "collection";
}
