using Grpc.Core;
using Seeding.Resources;
using Seeding.TestSupport;

namespace Seeding.PubSub.Tests;

/// <summary>
/// <see cref="IPubSubInventory"/> on the real emulator: every topic and subscription of the project, as a declaration
/// states them (settings at Pub/Sub's defaults left out), for <c>seeding pull</c>.
/// </summary>
public sealed class ListTests
{
    [Fact]
    public async Task Lists_every_topic_and_subscription_of_the_project_with_defaults_left_out()
    {
        var project = PubSubEmulator.NewProjectId("list");
        using var admin = await PubSubEmulator.AdminAsync(project);
        using var other = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("other"));
        Assert.True(await other.CreateTopicAsync(new TopicSpec("elsewhere")));
        Assert.True(await admin.CreateTopicAsync(new TopicSpec("orders") { Labels = new Dictionary<string, string> { ["team"] = "orders" }, MessageRetention = TimeSpan.FromHours(5) }));
        Assert.True(await admin.CreateTopicAsync(new TopicSpec("orders-dead-letter")));
        Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("plain", "orders")));
        Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("at-defaults", "orders") { AckDeadline = TimeSpan.FromSeconds(10), MessageRetention = TimeSpan.FromDays(7) }));
        Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("tuned", "orders")
        {
            AckDeadline = TimeSpan.FromSeconds(30),
            MessageRetention = TimeSpan.FromDays(2),
            Filter = "attributes.kind = \"order\"",
            DeadLetter = new DeadLetterPolicy("orders-dead-letter", 9),
        }));

        IPubSubInventory inventory = admin;
        var topics = await inventory.ListTopicsAsync();
        var subscriptions = await inventory.ListSubscriptionsAsync();

        Assert.Equal(
            ["topic orders labels=[team=orders] retention=05:00:00", "topic orders-dead-letter labels=[] retention="],
            topics.Select(Text).Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                "subscription at-defaults topic=orders ack= retention= filter= dead_letter=",
                "subscription plain topic=orders ack= retention= filter= dead_letter=",
                "subscription tuned topic=orders ack=00:00:30 retention=2.00:00:00 filter=attributes.kind = \"order\" " +
                "dead_letter=DeadLetterPolicy { Topic = orders-dead-letter, MaxDeliveryAttempts = 9 }",
            ],
            subscriptions.Select(Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_transient_failure_of_a_list_is_retried()
    {
        var project = PubSubEmulator.NewProjectId("list-retry");
        using (var setup = await PubSubEmulator.AdminAsync(project))
        {
            Assert.True(await setup.CreateTopicAsync(new TopicSpec("orders")));
        }

        var counter = new CallCounter();
        var options = await PubSubEmulator.OptionsAsync(project, counter, new FailingInterceptor(StatusCode.Unavailable, 1));
        options.InitialBackoff = TimeSpan.FromMilliseconds(5);
        using var admin = new PubSubAdmin(options);

        var topics = await admin.ListTopicsAsync();

        Assert.Equal(["orders"], topics.Select(t => t.Name));
        Assert.Equal(2, counter["ListTopics"]);
    }

    private static string Text(TopicSpec t) =>
        $"topic {t.Name} labels=[{string.Join(", ", t.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))}] retention={t.MessageRetention}";

    private static string Text(SubscriptionSpec s) =>
        $"subscription {s.Name} topic={s.Topic} ack={s.AckDeadline} retention={s.MessageRetention} filter={s.Filter} dead_letter={s.DeadLetter}";
}
