using Grpc.Core;
using Seeding.Resources;

namespace Seeding.PubSub.Internal;

/// <summary>
/// Checks ids and settings against Pub/Sub's rules (<see cref="ResourceRules"/>, the generator's rules too) before
/// any call, so a bad name or value fails with what to change instead of a server's INVALID_ARGUMENT.
/// </summary>
/// <remarks>
/// Filters and push endpoints are left to the server: the emulator pushes to <c>http://</c> endpoints, which
/// Pub/Sub refuses and the generator already reports.
/// </remarks>
internal static class SpecChecks
{
    /// <summary>Throws when <paramref name="id"/> is no valid topic id (a full name's last segment is checked).</summary>
    public static void TopicId(string id) => Id(id, "topic");

    /// <summary>Throws when <paramref name="id"/> is no valid subscription id.</summary>
    public static void SubscriptionId(string id) => Id(id, "subscription");

    /// <summary>Throws when the topic's id, labels or retention break Pub/Sub's rules.</summary>
    public static void Topic(TopicSpec topic)
    {
        TopicId(topic.Name);
        var where = $"topic '{topic.Name}'";
        Labels(topic.Labels, where);
        Check(topic.MessageRetention is { } retention ? ResourceRules.ValidateTopicRetention(retention) : null, where, PubSubSetting.MessageRetention);
    }

    /// <summary>
    /// Throws when the subscription's ids, labels, deadline, retention or dead-letter policy break Pub/Sub's rules.
    /// Its topic is checked only for a create: an update never writes it, and an existing subscription whose topic was
    /// deleted reads back <c>_deleted-topic_</c>.
    /// </summary>
    public static void Subscription(SubscriptionSpec subscription, bool creating)
    {
        SubscriptionId(subscription.Name);
        if (creating)
        {
            TopicId(subscription.Topic);
        }

        var where = $"subscription '{subscription.Name}'";
        Labels(subscription.Labels, where);
        Check(subscription.AckDeadline is { } deadline ? ResourceRules.ValidateAckDeadline(deadline) : null, where, PubSubSetting.AckDeadline);
        Check(subscription.MessageRetention is { } retention ? ResourceRules.ValidateSubscriptionRetention(retention) : null, where, PubSubSetting.MessageRetention);
        if (subscription.DeadLetter is { } deadLetter)
        {
            TopicId(deadLetter.Topic);
            Check(ResourceRules.ValidateMaxDeliveryAttempts(deadLetter.MaxDeliveryAttempts), where, PubSubSetting.DeadLetter);
        }
    }

    private static void Id(string id, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        // A topic of another project is given by its full name, projects/{project}/topics/{id}.
        var local = what == "topic" && id.StartsWith("projects/", StringComparison.Ordinal) ? id[(id.LastIndexOf('/') + 1)..] : id;
        if (ResourceRules.ValidatePubSubId(local, what) is { } problem)
        {
            throw new PubSubException($"Invalid {what} id: {problem}.", StatusCode.InvalidArgument);
        }
    }

    private static void Labels(IReadOnlyDictionary<string, string> labels, string where)
    {
        Check(ResourceRules.ValidateLabelCount(labels.Count), where, PubSubSetting.Labels);
        foreach (var (key, value) in labels)
        {
            Check(ResourceRules.ValidateLabelKey(key) ?? ResourceRules.ValidateLabelValue(value), where, PubSubSetting.Labels);
        }
    }

    private static void Check(string? problem, string where, string setting)
    {
        if (problem is not null)
        {
            throw new PubSubException($"Invalid {setting} of {where}: {problem}.", StatusCode.InvalidArgument);
        }
    }
}
