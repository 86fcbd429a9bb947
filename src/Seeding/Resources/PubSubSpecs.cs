namespace Seeding.Resources;

/// <summary>
/// The names of Pub/Sub settings, as written in YAML. They are the one vocabulary for plans, drift reports and the
/// settings an update changes; a Pub/Sub client maps each to its field mask path.
/// </summary>
public static class PubSubSetting
{
    /// <summary><c>labels</c>: key/value labels (topics and subscriptions). Declared labels are merged into the existing ones.</summary>
    public const string Labels = "labels";

    /// <summary><c>message_retention</c>: how long messages are kept (topics and subscriptions).</summary>
    public const string MessageRetention = "message_retention";

    /// <summary><c>ack_deadline</c>: how long a subscriber has to acknowledge a message.</summary>
    public const string AckDeadline = "ack_deadline";

    /// <summary><c>filter</c>: which messages the subscription receives; fixed when the subscription is created.</summary>
    public const string Filter = "filter";

    /// <summary><c>dead_letter</c>: the dead-letter topic and the maximum delivery attempts.</summary>
    public const string DeadLetter = "dead_letter";

    /// <summary><c>push_endpoint</c>: the URL messages are pushed to; absent for a pull subscription.</summary>
    public const string PushEndpoint = "push_endpoint";

    /// <summary><c>topic</c>: the topic a subscription subscribes to; fixed when the subscription is created.</summary>
    public const string Topic = "topic";
}

/// <summary>
/// A Pub/Sub topic: declared in a seed file (settings left null are not declared and never changed), or read back
/// from Pub/Sub (then every setting Pub/Sub reports is filled in).
/// </summary>
/// <param name="Name">The topic id within the project, e.g. <c>audit-events</c> (not the full resource name).</param>
public sealed record TopicSpec(string Name)
{
    /// <summary>Labels; declared labels are merged into the topic's existing labels, others are kept.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How long the topic keeps messages; null when not declared (or not set on the topic).</summary>
    public TimeSpan? MessageRetention { get; init; }

    /// <summary>
    /// The declared settings (those this spec sets) whose value differs in <paramref name="existing"/>, in a stable
    /// order, each with its live and declared value: the one rule a run (what it updates) and a diff (what drifted) share.
    /// </summary>
    public IReadOnlyList<SettingDifference> DifferencesFrom(TopicSpec existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var differences = new List<SettingDifference>(2);
        ResourceComparison.AddLabels(differences, Labels, existing.Labels);
        ResourceComparison.AddIfDiffers(differences, PubSubSetting.MessageRetention, MessageRetention, existing.MessageRetention);
        return differences;
    }

    /// <summary>What the topic should hold after an update: <paramref name="existing"/> with the declared settings laid over it.</summary>
    public TopicSpec MergedOnto(TopicSpec existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return existing with
        {
            Labels = ResourceComparison.MergeLabels(existing.Labels, Labels),
            MessageRetention = MessageRetention ?? existing.MessageRetention,
        };
    }
}

/// <summary>Where a subscription sends messages it failed to deliver.</summary>
/// <param name="Topic">The dead-letter topic id within the project.</param>
/// <param name="MaxDeliveryAttempts">Delivery attempts before a message goes there (Pub/Sub allows 5 to 100).</param>
public sealed record DeadLetterPolicy(string Topic, int MaxDeliveryAttempts);

/// <summary>
/// A Pub/Sub subscription: declared in a seed file (settings left null are not declared and never changed), or read
/// back from Pub/Sub (then every setting Pub/Sub reports is filled in).
/// </summary>
/// <param name="Name">The subscription id within the project, e.g. <c>audit-writer</c>.</param>
/// <param name="Topic">The topic id it subscribes to; fixed when the subscription is created.</param>
public sealed record SubscriptionSpec(string Name, string Topic)
{
    /// <summary>Labels; declared labels are merged into the subscription's existing labels, others are kept.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How long a subscriber has to acknowledge a message (Pub/Sub allows 10 s to 600 s).</summary>
    public TimeSpan? AckDeadline { get; init; }

    /// <summary>How long unacknowledged messages are kept (Pub/Sub allows 10 min to 31 days; its default is 7 days).</summary>
    public TimeSpan? MessageRetention { get; init; }

    /// <summary>The filter on message attributes; fixed when the subscription is created.</summary>
    public string? Filter { get; init; }

    /// <summary>The dead-letter policy.</summary>
    public DeadLetterPolicy? DeadLetter { get; init; }

    /// <summary>The push endpoint URL; null for a pull subscription (or when not declared).</summary>
    public string? PushEndpoint { get; init; }

    /// <summary>The settings of a subscription that Pub/Sub cannot change once it is created: <c>topic</c> and <c>filter</c>.</summary>
    public static IReadOnlyList<string> FixedSettings { get; } = [PubSubSetting.Topic, PubSubSetting.Filter];

    /// <summary>
    /// The settings whose value differs in <paramref name="existing"/>, in a stable order, each with its live and
    /// declared value: <see cref="Topic"/> first (always declared; it cannot change, see <see cref="FixedSettings"/>),
    /// then the declared settings (those this spec sets). The one rule a run (what it updates) and a diff (what
    /// drifted) share.
    /// </summary>
    public IReadOnlyList<SettingDifference> DifferencesFrom(SubscriptionSpec existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var differences = new List<SettingDifference>(2);
        if (!string.Equals(existing.Topic, Topic, StringComparison.Ordinal))
        {
            differences.Add(new SettingDifference(PubSubSetting.Topic, SettingText.Scalar(existing.Topic), SettingText.Scalar(Topic)));
        }

        ResourceComparison.AddLabels(differences, Labels, existing.Labels);
        ResourceComparison.AddIfDiffers(differences, PubSubSetting.MessageRetention, MessageRetention, existing.MessageRetention);
        ResourceComparison.AddIfDiffers(differences, PubSubSetting.AckDeadline, AckDeadline, existing.AckDeadline);
        if (ResourceComparison.Differs(Filter, existing.Filter))
        {
            differences.Add(new SettingDifference(PubSubSetting.Filter, SettingText.Scalar(existing.Filter), SettingText.Scalar(Filter)));
        }

        if (ResourceComparison.Differs(DeadLetter, existing.DeadLetter))
        {
            differences.Add(new SettingDifference(PubSubSetting.DeadLetter, SettingText.DeadLetter(existing.DeadLetter), SettingText.DeadLetter(DeadLetter)));
        }

        if (ResourceComparison.Differs(PushEndpoint, existing.PushEndpoint))
        {
            differences.Add(new SettingDifference(PubSubSetting.PushEndpoint, SettingText.Scalar(existing.PushEndpoint), SettingText.Scalar(PushEndpoint)));
        }

        return differences;
    }

    /// <summary>What the subscription should hold after an update: <paramref name="existing"/> with the declared settings laid over it.</summary>
    public SubscriptionSpec MergedOnto(SubscriptionSpec existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return existing with
        {
            Labels = ResourceComparison.MergeLabels(existing.Labels, Labels),
            AckDeadline = AckDeadline ?? existing.AckDeadline,
            MessageRetention = MessageRetention ?? existing.MessageRetention,
            Filter = Filter ?? existing.Filter,
            DeadLetter = DeadLetter ?? existing.DeadLetter,
            PushEndpoint = PushEndpoint ?? existing.PushEndpoint,
        };
    }
}

/// <summary>The comparisons Pub/Sub settings share: a setting left undeclared (null) never differs.</summary>
internal static class ResourceComparison
{
    /// <summary>
    /// Adds <c>labels</c> when a declared label is absent or holds another value; both sides show the declared keys
    /// only (the others are kept, never compared).
    /// </summary>
    public static void AddLabels(List<SettingDifference> differences, IReadOnlyDictionary<string, string> declared, IReadOnlyDictionary<string, string> existing)
    {
        if (!LabelsHeld(declared, existing))
        {
            var live = existing.Where(label => declared.ContainsKey(label.Key));
            differences.Add(new SettingDifference(PubSubSetting.Labels, SettingText.Labels(live), SettingText.Labels(declared)));
        }
    }

    /// <summary>Adds the duration <paramref name="setting"/> when it is declared and <paramref name="existing"/> holds another.</summary>
    public static void AddIfDiffers(List<SettingDifference> differences, string setting, TimeSpan? declared, TimeSpan? existing)
    {
        if (Differs(declared, existing))
        {
            differences.Add(new SettingDifference(setting, SettingText.Duration(existing), SettingText.Duration(declared)));
        }
    }

    /// <summary>True when a value is declared and <paramref name="existing"/> holds another.</summary>
    public static bool Differs<T>(T? declared, T? existing)
        where T : struct => declared is { } value && !Nullable.Equals(existing, value);

    /// <summary>True when a value is declared and <paramref name="existing"/> holds another (ordinal for strings; records by value).</summary>
    public static bool Differs<T>(T? declared, T? existing)
        where T : class => declared is not null && !EqualityComparer<T>.Default.Equals(existing, declared);

    /// <summary>True when every declared label is present in <paramref name="existing"/> with the same value.</summary>
    public static bool LabelsHeld(IReadOnlyDictionary<string, string> declared, IReadOnlyDictionary<string, string> existing) =>
        declared.All(label => existing.TryGetValue(label.Key, out var value) && string.Equals(value, label.Value, StringComparison.Ordinal));

    /// <summary>The existing labels with the declared ones laid over them.</summary>
    public static IReadOnlyDictionary<string, string> MergeLabels(IReadOnlyDictionary<string, string> existing, IReadOnlyDictionary<string, string> declared)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in existing)
        {
            merged[key] = value;
        }

        foreach (var (key, value) in declared)
        {
            merged[key] = value;
        }

        return merged;
    }
}
