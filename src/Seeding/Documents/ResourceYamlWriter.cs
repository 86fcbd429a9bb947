using System.Text;
using Seeding.Resources;

namespace Seeding.Documents;

/// <summary>
/// Writes topics, subscriptions, composite indexes and field overrides as a seed file of resource steps
/// (<c>topic:</c>, <c>subscription:</c>, <c>index:</c>, <c>field_override:</c>, docs/seed-format.md), as
/// <c>seeding pull --topics --subscriptions --indexes</c> does. Only what a spec declares is written (a null setting
/// is left out), so the caller decides which values are defaults not worth writing. The output is stable: steps in the
/// order topics, subscriptions, indexes, field overrides, each kind sorted (by name; indexes by collection group, scope
/// and fields), keys in the order the format documents them, values spelled by <see cref="SettingText"/> (labels sorted), <c>\n</c> line ends; the same input gives
/// the same bytes. Names and values are quoted by <see cref="SeedYamlWriter.Scalar"/>.
/// </summary>
public static class ResourceYamlWriter
{
    /// <summary>The whole file: <paramref name="header"/> as comment lines, the description, then the steps under <c>steps:</c>.</summary>
    /// <param name="header">
    /// Comment lines (without <c>#</c>), e.g. where the resources were read. Leave the read time out unless asked
    /// (<c>pull --read-time</c>): without it the same resources give the same bytes.
    /// </param>
    /// <param name="description">The file's <c>description:</c>.</param>
    /// <param name="topics">Topics.</param>
    /// <param name="subscriptions">Subscriptions.</param>
    /// <param name="indexes">Composite indexes.</param>
    /// <param name="fieldOverrides">Field overrides.</param>
    /// <exception cref="ArgumentException">Nothing to write: a seed file needs at least one step.</exception>
    public static string SeedFile(
        IEnumerable<string> header, string description, IEnumerable<TopicSpec> topics, IEnumerable<SubscriptionSpec> subscriptions,
        IEnumerable<IndexSpec> indexes, IEnumerable<FieldOverrideSpec> fieldOverrides)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(indexes);
        ArgumentNullException.ThrowIfNull(fieldOverrides);
        var steps = new StringBuilder();
        foreach (var topic in topics.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            Topic(steps, topic);
        }

        foreach (var subscription in subscriptions.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            Subscription(steps, subscription);
        }

        foreach (var index in indexes.Order(IndexOrdering.Instance))
        {
            Index(steps, index);
        }

        foreach (var field in fieldOverrides.OrderBy(f => f.CollectionGroup, StringComparer.Ordinal).ThenBy(f => f.FieldPath, StringComparer.Ordinal))
        {
            FieldOverride(steps, field);
        }

        if (steps.Length == 0)
        {
            throw new ArgumentException("A seed file needs at least one step; no topic, subscription, index or field override was given.", nameof(topics));
        }

        var file = new StringBuilder();
        foreach (var line in header.SelectMany(h => h.Split('\n')))
        {
            file.Append(line.Length == 0 ? "#" : "# " + line.TrimEnd('\r')).Append('\n');
        }

        file.Append("description: ").Append(SeedYamlWriter.Scalar(description)).Append('\n');
        file.Append("steps:\n").Append(steps);
        return file.ToString();
    }

    private static void Topic(StringBuilder b, TopicSpec topic)
    {
        b.Append("  - topic: ").Append(SeedYamlWriter.Scalar(topic.Name)).Append('\n');
        Labels(b, topic.Labels);
        Duration(b, PubSubSetting.MessageRetention, topic.MessageRetention);
    }

    private static void Subscription(StringBuilder b, SubscriptionSpec subscription)
    {
        b.Append("  - subscription: ").Append(SeedYamlWriter.Scalar(subscription.Name)).Append('\n');
        b.Append("    topic: ").Append(SeedYamlWriter.Scalar(subscription.Topic)).Append('\n');
        Labels(b, subscription.Labels);
        Duration(b, PubSubSetting.AckDeadline, subscription.AckDeadline);
        Duration(b, PubSubSetting.MessageRetention, subscription.MessageRetention);
        if (subscription.Filter is { } filter)
        {
            b.Append("    filter: ").Append(SeedYamlWriter.Scalar(filter)).Append('\n');
        }

        if (SettingText.DeadLetter(subscription.DeadLetter) is { } deadLetter)
        {
            b.Append("    dead_letter: ").Append(deadLetter).Append('\n');
        }

        if (subscription.PushEndpoint is { } endpoint)
        {
            b.Append("    push_endpoint: ").Append(SeedYamlWriter.Scalar(endpoint)).Append('\n');
        }
    }

    private static void Index(StringBuilder b, IndexSpec index)
    {
        b.Append("  - index: ").Append(SeedYamlWriter.Scalar(index.CollectionGroup)).Append('\n');
        if (index.Scope != IndexScope.Collection)
        {
            b.Append("    scope: ").Append(SettingText.Scope(index.Scope)).Append('\n');
        }

        b.Append("    fields:\n");
        foreach (var field in index.Fields)
        {
            b.Append("      - ").Append(SeedYamlWriter.Scalar(field.FieldPath)).Append(": ").Append(SettingText.Order(field.Order)).Append('\n');
        }
    }

    private static void FieldOverride(StringBuilder b, FieldOverrideSpec field)
    {
        b.Append("  - field_override: ").Append(SeedYamlWriter.Scalar(field.CollectionGroup)).Append('\n');
        b.Append("    field: ").Append(SeedYamlWriter.Scalar(field.FieldPath)).Append('\n');
        if (field.Ttl is { } ttl)
        {
            b.Append("    ttl: ").Append(SettingText.Boolean(ttl)).Append('\n');
        }

        if (SettingText.FieldIndexes(field.Indexes) is { } indexes)
        {
            b.Append("    indexes: ").Append(indexes).Append('\n');
        }
    }

    private static void Labels(StringBuilder b, IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count == 0)
        {
            return;
        }

        b.Append("    labels: ").Append(SettingText.Labels(labels)).Append('\n');
    }

    private static void Duration(StringBuilder b, string key, TimeSpan? duration)
    {
        if (SettingText.Duration(duration) is { } value)
        {
            b.Append("    ").Append(key).Append(": ").Append(value).Append('\n');
        }
    }

    /// <summary>Collection group, scope, then the fields in order (path, then order); shorter first on a tie.</summary>
    private sealed class IndexOrdering : IComparer<IndexSpec>
    {
        public static readonly IndexOrdering Instance = new();

        public int Compare(IndexSpec? x, IndexSpec? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var result = string.CompareOrdinal(x.CollectionGroup, y.CollectionGroup);
            result = result != 0 ? result : x.Scope.CompareTo(y.Scope);
            for (var i = 0; result == 0 && i < Math.Min(x.Fields.Count, y.Fields.Count); i++)
            {
                result = string.CompareOrdinal(x.Fields[i].FieldPath, y.Fields[i].FieldPath);
                result = result != 0 ? result : x.Fields[i].Order.CompareTo(y.Fields[i].Order);
            }

            return result != 0 ? result : x.Fields.Count.CompareTo(y.Fields.Count);
        }
    }
}
