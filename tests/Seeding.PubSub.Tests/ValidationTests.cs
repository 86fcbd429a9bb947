using Grpc.Core;
using Seeding.Resources;
using Seeding.TestSupport;

namespace Seeding.PubSub.Tests;

/// <summary>Ids and settings that break Pub/Sub's rules (ResourceRules) fail before any call, saying what to change.</summary>
public sealed class ValidationTests
{
    public static TheoryData<string, Func<PubSubAdmin, Task>, string> Refused => new()
    {
        { "short topic id", admin => admin.CreateTopicAsync(new TopicSpec("ab")), "Invalid topic id: 'ab' is 2 characters long; Pub/Sub allows 3 to 255" },
        { "reserved prefix", admin => admin.GetTopicAsync("goog-events"), "Invalid topic id: 'goog-events' starts with 'goog'" },
        { "subscription id", admin => admin.GetSubscriptionAsync("audit writer"), "Invalid subscription id: 'audit writer' contains 'U+0020'" },
        { "topic of a subscription", admin => admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "9events")), "Invalid topic id: '9events' starts with '9'" },
        {
            "label key", admin => admin.CreateTopicAsync(new TopicSpec("audit-events") { Labels = new Dictionary<string, string> { ["Team"] = "audit" } }),
            "Invalid labels of topic 'audit-events': label key 'Team' starts with 'T'; a label key starts with a lowercase letter"
        },
        {
            "topic retention", admin => admin.CreateTopicAsync(new TopicSpec("audit-events") { MessageRetention = TimeSpan.FromDays(40) }),
            "Invalid message_retention of topic 'audit-events'"
        },
        {
            "ack deadline", admin => admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events") { AckDeadline = TimeSpan.FromSeconds(5) }),
            "Invalid ack_deadline of subscription 'audit-writer'"
        },
        {
            "dead-letter attempts", admin => admin.UpdateSubscriptionAsync(
                new SubscriptionSpec("audit-writer", "audit-events") { DeadLetter = new DeadLetterPolicy("audit-dead", 3) }, [PubSubSetting.DeadLetter]),
            "Invalid dead_letter of subscription 'audit-writer': 3 delivery attempts are too few; Pub/Sub allows 5 to 100"
        },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Refused_before_any_call_with_the_rule(string what, Func<PubSubAdmin, Task> call, string message)
    {
        var calls = new CallCounter();
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("invalid"), calls);

        var e = await Assert.ThrowsAsync<PubSubException>(() => call(admin));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.True(calls.Total == 0, $"{what}: {calls}");
    }

    [Fact]
    public async Task Update_of_a_subscription_whose_topic_was_deleted_is_not_refused_for_that_topic()
    {
        var project = PubSubEmulator.NewProjectId("deleted");
        using var admin = await PubSubEmulator.AdminAsync(project);
        await admin.CreateTopicAsync(new TopicSpec("audit-events"));
        await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events"));

        // What Pub/Sub reads back once the topic is gone; an update never writes the topic.
        await admin.UpdateSubscriptionAsync(new SubscriptionSpec("audit-writer", "_deleted-topic_") { AckDeadline = TimeSpan.FromSeconds(40) }, [PubSubSetting.AckDeadline]);

        Assert.Equal(TimeSpan.FromSeconds(40), (await admin.GetSubscriptionAsync("audit-writer"))!.AckDeadline);
    }
}
