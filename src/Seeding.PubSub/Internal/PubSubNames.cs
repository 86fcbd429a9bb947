namespace Seeding.PubSub.Internal;

/// <summary>Full resource names of one project's topics and subscriptions, and back to ids.</summary>
internal sealed class PubSubNames(string projectId)
{
    private readonly string _topicPrefix = $"projects/{projectId}/topics/";
    private readonly string _subscriptionPrefix = $"projects/{projectId}/subscriptions/";

    /// <summary><c>projects/{project}</c>: the parent that lists name.</summary>
    public string Project { get; } = $"projects/{projectId}";

    /// <summary>What a subscription reads back as its topic once that topic is deleted.</summary>
    public const string DeletedTopic = "_deleted-topic_";

    /// <summary>
    /// <c>projects/{project}/topics/{id}</c>; a full name (a topic of another project, as read back from a
    /// subscription) and <see cref="DeletedTopic"/> are kept as they are.
    /// </summary>
    public string Topic(string id) =>
        id.StartsWith("projects/", StringComparison.Ordinal) || id == DeletedTopic ? id : _topicPrefix + id;

    /// <summary><c>projects/{project}/subscriptions/{id}</c>.</summary>
    public string Subscription(string id) => _subscriptionPrefix + id;

    /// <summary>
    /// The id of a topic named in this project; a topic of another project (a subscription may receive from one) keeps
    /// its full name, so it never reads as a local topic of the same id.
    /// </summary>
    public string TopicId(string name) =>
        name.StartsWith(_topicPrefix, StringComparison.Ordinal) ? name[_topicPrefix.Length..] : name;

    /// <summary>The id of a subscription named in this project (other names are returned whole).</summary>
    public string SubscriptionId(string name) =>
        name.StartsWith(_subscriptionPrefix, StringComparison.Ordinal) ? name[_subscriptionPrefix.Length..] : name;
}
