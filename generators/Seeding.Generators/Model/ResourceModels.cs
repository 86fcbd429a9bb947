using System.Linq;
using System.Text;

namespace Seeding.Generators.Model;

/// <summary>The four resource steps, named by their YAML verb.</summary>
internal static class ResourceKinds
{
    public const string Topic = "topic";
    public const string Subscription = "subscription";
    public const string Index = "index";
    public const string FieldOverride = "field_override";

    public static readonly string[] All = { Topic, Subscription, Index, FieldOverride };
}

/// <summary>A label of a topic or subscription.</summary>
internal sealed record LabelModel(string Key, string Value);

/// <summary>A duration: its length in seconds (what compares), and the amount and unit as written (what the emitted code shows).</summary>
internal sealed record DurationModel(long Seconds, long Amount, char Unit);

/// <summary>One field of a composite index; Order is a member name of Seeding.Resources.IndexOrder.</summary>
internal sealed record IndexFieldModel(string Path, string Order);

/// <summary>One single-field index of a field override; Order and Scope are member names of IndexOrder and IndexScope.</summary>
internal sealed record FieldIndexModel(string Order, string Scope);

/// <summary>
/// A resource step's declaration (topic, subscription, index or field override), as plain data. Settings not written
/// in the YAML stay null (empty for labels, HasIndexes false for a field override's indexes).
/// </summary>
internal sealed record ResourceModel(string Kind, string Name)
{
    public EquatableArray<LabelModel> Labels { get; init; } = EquatableArray<LabelModel>.Empty;

    public DurationModel? MessageRetention { get; init; }

    /// <summary>A subscription's topic.</summary>
    public string? Topic { get; init; }

    public DurationModel? AckDeadline { get; init; }

    public string? Filter { get; init; }

    public string? DeadLetterTopic { get; init; }

    public long MaxDeliveryAttempts { get; init; }

    public string? PushEndpoint { get; init; }

    /// <summary>An index's scope: a member name of IndexScope.</summary>
    public string Scope { get; init; } = "Collection";

    public EquatableArray<IndexFieldModel> Fields { get; init; } = EquatableArray<IndexFieldModel>.Empty;

    /// <summary>A field override's field path.</summary>
    public string? FieldPath { get; init; }

    public bool? Ttl { get; init; }

    /// <summary>True when a field override declares <c>indexes:</c> (possibly empty: indexing off).</summary>
    public bool HasIndexes { get; init; }

    public EquatableArray<FieldIndexModel> Indexes { get; init; } = EquatableArray<FieldIndexModel>.Empty;

    /// <summary>
    /// What makes two declarations the same resource: the topic or subscription id, an index's collection group, scope
    /// and fields, a field override's collection group and field. Also how messages name it.
    /// </summary>
    public string Identity => Kind switch
    {
        ResourceKinds.Index => $"index {Name} ({string.Join(", ", Fields.Select(f => f.Path + " " + f.Order.ToLowerInvariant()))}){(Scope == "CollectionGroup" ? " with scope collection_group" : string.Empty)}",
        ResourceKinds.FieldOverride => $"field override {Name}.{FieldPath}",
        _ => $"{Kind} '{Name}'",
    };

    /// <summary>
    /// The declared settings in one canonical text, a <c>name=value</c> line per setting (labels sorted, durations in
    /// seconds): two declarations of a topic or subscription agree when theirs are equal.
    /// </summary>
    public string Settings()
    {
        var text = new StringBuilder();
        Append(text, "labels", Labels.Count == 0 ? null : "{" + string.Join(",", Labels.Select(l => l.Key + "=" + l.Value)) + "}");
        Append(text, "topic", Topic);
        Append(text, "message_retention", MessageRetention?.Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(text, "ack_deadline", AckDeadline?.Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(text, "filter", Filter);
        Append(text, "dead_letter", DeadLetterTopic is null ? null : DeadLetterTopic + "/" + MaxDeliveryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(text, "push_endpoint", PushEndpoint);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string name, string? value)
    {
        if (value is not null)
        {
            text.Append(name).Append('=').Append(value.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        }
    }
}

/// <summary>A resource a file declares, with where, for the checks across the service's files.</summary>
internal sealed record DeclaredResource(string Kind, string Identity, string Settings, LocationInfo Location);
