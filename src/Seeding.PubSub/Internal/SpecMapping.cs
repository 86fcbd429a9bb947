using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Seeding.Resources;
using Proto = Seeding.PubSub.Protocol;

namespace Seeding.PubSub.Internal;

/// <summary>Seeding's topic and subscription specs to Pub/Sub's messages and back, and setting names to field mask paths.</summary>
internal sealed class SpecMapping(PubSubNames names)
{
    /// <summary>The topic as sent by a create or an update: only the declared settings are filled in.</summary>
    public Proto.Topic ToProto(TopicSpec spec)
    {
        var topic = new Proto.Topic { Name = names.Topic(spec.Name) };
        foreach (var (key, value) in spec.Labels)
        {
            topic.Labels[key] = value;
        }
        if (spec.MessageRetention is { } retention)
        {
            topic.MessageRetentionDuration = Duration.FromTimeSpan(retention);
        }

        return topic;
    }

    /// <summary>The topic as read back: every setting Pub/Sub reports.</summary>
    public TopicSpec FromProto(Proto.Topic topic) => new(names.TopicId(topic.Name))
    {
        Labels = Sorted(topic.Labels),
        MessageRetention = topic.MessageRetentionDuration?.ToTimeSpan(),
    };

    /// <summary>The subscription as sent by a create or an update: only the declared settings are filled in.</summary>
    public Proto.Subscription ToProto(SubscriptionSpec spec)
    {
        var subscription = new Proto.Subscription
        {
            Name = names.Subscription(spec.Name),
            Topic = names.Topic(spec.Topic),
            Filter = spec.Filter ?? string.Empty,
        };
        foreach (var (key, value) in spec.Labels)
        {
            subscription.Labels[key] = value;
        }
        if (spec.AckDeadline is { } deadline)
        {
            subscription.AckDeadlineSeconds = WholeSeconds(deadline, spec.Name);
        }

        if (spec.MessageRetention is { } retention)
        {
            subscription.MessageRetentionDuration = Duration.FromTimeSpan(retention);
        }

        if (spec.DeadLetter is { } deadLetter)
        {
            subscription.DeadLetterPolicy = new Proto.DeadLetterPolicy
            {
                DeadLetterTopic = names.Topic(deadLetter.Topic),
                MaxDeliveryAttempts = deadLetter.MaxDeliveryAttempts,
            };
        }

        if (spec.PushEndpoint is { } endpoint)
        {
            subscription.PushConfig = new Proto.PushConfig { PushEndpoint = endpoint };
        }

        return subscription;
    }

    /// <summary>The subscription as read back: every setting Pub/Sub reports (an empty filter or push endpoint reads as none).</summary>
    public SubscriptionSpec FromProto(Proto.Subscription subscription) => new(names.SubscriptionId(subscription.Name), names.TopicId(subscription.Topic))
    {
        Labels = Sorted(subscription.Labels),
        AckDeadline = TimeSpan.FromSeconds(subscription.AckDeadlineSeconds),
        MessageRetention = subscription.MessageRetentionDuration?.ToTimeSpan(),
        Filter = subscription.Filter.Length == 0 ? null : subscription.Filter,
        DeadLetter = subscription.DeadLetterPolicy is { DeadLetterTopic.Length: > 0 } policy
            ? new DeadLetterPolicy(names.TopicId(policy.DeadLetterTopic), policy.MaxDeliveryAttempts)
            : null,
        PushEndpoint = subscription.PushConfig is { PushEndpoint.Length: > 0 } push ? push.PushEndpoint : null,
    };

    /// <summary>Pub/Sub's acknowledgement deadline when a subscription is created without one.</summary>
    public static readonly TimeSpan DefaultAckDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Pub/Sub's message retention when a subscription is created without one.</summary>
    public static readonly TimeSpan DefaultSubscriptionRetention = TimeSpan.FromDays(7);

    /// <summary>
    /// A topic read back, as a declaration states it (<c>seeding pull</c>): settings Pub/Sub reports at their default
    /// (no retention) are left out, so declaring the result creates the same topic.
    /// </summary>
    public TopicSpec Declared(Proto.Topic topic) => FromProto(topic) is var spec && spec.MessageRetention == TimeSpan.Zero
        ? spec with { MessageRetention = null }
        : spec;

    /// <summary>
    /// A subscription read back, as a declaration states it: an acknowledgement deadline of 10 s and a retention of 7 days
    /// (Pub/Sub's defaults) are left out, as are an empty filter, no dead-letter policy and no push endpoint.
    /// </summary>
    public SubscriptionSpec Declared(Proto.Subscription subscription)
    {
        var spec = FromProto(subscription);
        return spec with
        {
            AckDeadline = spec.AckDeadline == DefaultAckDeadline || spec.AckDeadline == TimeSpan.Zero ? null : spec.AckDeadline,
            MessageRetention = spec.MessageRetention == DefaultSubscriptionRetention || spec.MessageRetention == TimeSpan.Zero ? null : spec.MessageRetention,
        };
    }

    /// <summary>The update mask paths of a topic's settings.</summary>
    public static FieldMask TopicMask(IEnumerable<string> settings, string topic) => Mask(settings, setting => setting switch
    {
        PubSubSetting.Labels => "labels",
        PubSubSetting.MessageRetention => "message_retention_duration",
        _ => throw Unwritable(setting, $"topic '{topic}'", "a topic's settings are labels and message_retention"),
    });

    /// <summary>The update mask paths of a subscription's settings; its filter (fixed at creation) has none.</summary>
    public static FieldMask SubscriptionMask(IEnumerable<string> settings, string subscription) => Mask(settings, setting => setting switch
    {
        PubSubSetting.Labels => "labels",
        PubSubSetting.MessageRetention => "message_retention_duration",
        PubSubSetting.AckDeadline => "ack_deadline_seconds",
        PubSubSetting.DeadLetter => "dead_letter_policy",
        PubSubSetting.PushEndpoint => "push_config",
        PubSubSetting.Filter => throw Unwritable(setting, $"subscription '{subscription}'",
            "Pub/Sub fixes a subscription's filter when it is created; to change it, create a subscription under a new name (or delete and recreate this one)"),
        _ => throw Unwritable(setting, $"subscription '{subscription}'",
            "a subscription's settings are labels, message_retention, ack_deadline, dead_letter, push_endpoint and filter"),
    });

    private static FieldMask Mask(IEnumerable<string> settings, Func<string, string> path)
    {
        var mask = new FieldMask();
        mask.Paths.AddRange(settings.Select(path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        if (mask.Paths.Count == 0)
        {
            throw new ArgumentException("An update needs at least one setting to write (names from PubSubSetting).", nameof(settings));
        }

        return mask;
    }

    private static PubSubException Unwritable(string setting, string resource, string why) =>
        new($"Cannot update '{setting}' of {resource}: {why}.", StatusCode.InvalidArgument);

    private static int WholeSeconds(TimeSpan deadline, string subscription) =>
        deadline.Ticks % TimeSpan.TicksPerSecond == 0 && deadline.TotalSeconds is >= 0 and <= int.MaxValue
            ? (int)deadline.TotalSeconds
            : throw new PubSubException(
                $"The {PubSubSetting.AckDeadline} of subscription '{subscription}' is {deadline}: Pub/Sub takes whole seconds " +
                $"({ResourceRules.MinAckDeadline.TotalSeconds:0} to {ResourceRules.MaxAckDeadline.TotalSeconds:0}).", StatusCode.InvalidArgument);

    private static SortedDictionary<string, string> Sorted(IDictionary<string, string> labels) => new(labels, StringComparer.Ordinal);
}
