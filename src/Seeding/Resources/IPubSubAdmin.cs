namespace Seeding.Resources;

/// <summary>
/// Where a run ensures Pub/Sub topics and subscriptions: a project of Google Cloud Pub/Sub or its emulator
/// (Seeding.PubSub implements it). Names are ids within the target's project, e.g. <c>audit-events</c>.
/// </summary>
/// <remarks>
/// A dry run calls only the Get methods. Creates are safe to race: a topic or subscription another runner created
/// first is reported as already existing (false), never as an error.
/// </remarks>
public interface IPubSubAdmin
{
    /// <summary>Where topics go, for plans and logs, e.g. <c>pubsub-emulator:127.0.0.1:8085/projects/demo</c>.</summary>
    string Name { get; }

    /// <summary>Reads a topic with every setting Pub/Sub reports; null when it does not exist.</summary>
    Task<TopicSpec?> GetTopicAsync(string topic, CancellationToken cancellationToken = default);

    /// <summary>Creates a topic with the declared settings; false when it already existed (nothing was changed).</summary>
    Task<bool> CreateTopicAsync(TopicSpec topic, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="settings"/> (names from <see cref="PubSubSetting"/>) of <paramref name="topic"/> to the existing topic; other settings are left alone.</summary>
    Task UpdateTopicAsync(TopicSpec topic, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default);

    /// <summary>Reads a subscription with every setting Pub/Sub reports; null when it does not exist.</summary>
    Task<SubscriptionSpec?> GetSubscriptionAsync(string subscription, CancellationToken cancellationToken = default);

    /// <summary>Creates a subscription with the declared settings; false when it already existed (nothing was changed).</summary>
    Task<bool> CreateSubscriptionAsync(SubscriptionSpec subscription, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="settings"/> (names from <see cref="PubSubSetting"/>) of <paramref name="subscription"/> to the existing subscription; other settings are left alone.</summary>
    Task UpdateSubscriptionAsync(SubscriptionSpec subscription, IReadOnlyCollection<string> settings, CancellationToken cancellationToken = default);
}
