using Grpc.Core;
using Grpc.Net.Client;
using Seeding.Resources;
using Seeding.TestSupport;
using Wire = Seeding.PubSub.Tests.Protocol;

namespace Seeding.PubSub.Tests;

/// <summary>Subscriptions on the real emulator, through <see cref="PubSubAdmin"/>; each test in a project of its own.</summary>
public sealed class SubscriptionTests
{
    [Fact]
    public async Task Created_subscription_reads_back_with_every_declared_setting()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("sub"));
        await admin.CreateTopicAsync(new TopicSpec("audit-events"));
        await admin.CreateTopicAsync(new TopicSpec("audit-dead"));

        var created = await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events")
        {
            Labels = new Dictionary<string, string> { ["team"] = "audit" },
            AckDeadline = TimeSpan.FromSeconds(45),
            MessageRetention = TimeSpan.FromHours(12),
            Filter = "attributes.kind = \"login\"",
            DeadLetter = new DeadLetterPolicy("audit-dead", 7),
        });

        Assert.True(created);
        var subscription = await admin.GetSubscriptionAsync("audit-writer");
        Assert.NotNull(subscription);
        Assert.Equal("audit-writer", subscription.Name);
        Assert.Equal("audit-events", subscription.Topic);
        Assert.Equal("audit", subscription.Labels["team"]);
        Assert.Equal(TimeSpan.FromSeconds(45), subscription.AckDeadline);
        Assert.Equal(TimeSpan.FromHours(12), subscription.MessageRetention);
        Assert.Equal("attributes.kind = \"login\"", subscription.Filter);
        Assert.Equal(new DeadLetterPolicy("audit-dead", 7), subscription.DeadLetter);
        Assert.Null(subscription.PushEndpoint);
    }

    [Fact]
    public async Task Push_subscription_reads_back_its_endpoint_and_it_can_be_changed()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("push"));
        await admin.CreateTopicAsync(new TopicSpec("audit-events"));

        // Nothing is published, so the emulator never calls the endpoint.
        Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-push", "audit-events") { PushEndpoint = "http://127.0.0.1:9/push" }));
        Assert.Equal("http://127.0.0.1:9/push", (await admin.GetSubscriptionAsync("audit-push"))!.PushEndpoint);

        await admin.UpdateSubscriptionAsync(new SubscriptionSpec("audit-push", "audit-events") { PushEndpoint = "http://127.0.0.1:9/other" }, [PubSubSetting.PushEndpoint]);

        Assert.Equal("http://127.0.0.1:9/other", (await admin.GetSubscriptionAsync("audit-push"))!.PushEndpoint);
    }

    [Fact]
    public async Task Changing_the_push_endpoint_keeps_the_push_settings_made_outside_Seeding()
    {
        var project = PubSubEmulator.NewProjectId("pushkeep");
        using var admin = await PubSubEmulator.AdminAsync(project);
        await admin.CreateTopicAsync(new TopicSpec("audit-events"));
        using var channel = GrpcChannel.ForAddress("http://" + await PubSubEmulator.HostAsync());
        var wire = new Wire.Subscriber.SubscriberClient(channel);
        var name = $"projects/{project}/subscriptions/audit-push";
        // Set by someone else (console, Terraform): push attributes and an OIDC token Seeding's YAML cannot declare.
        await wire.CreateSubscriptionAsync(new Wire.Subscription
        {
            Name = name,
            Topic = $"projects/{project}/topics/audit-events",
            PushConfig = new Wire.PushConfig
            {
                PushEndpoint = "http://127.0.0.1:9/push",
                Attributes = { ["x-goog-version"] = "v1" },
                OidcToken = new Wire.PushConfig.Types.OidcToken { ServiceAccountEmail = "pusher@demo.iam.gserviceaccount.com", Audience = "audit" },
            },
        });

        await admin.UpdateSubscriptionAsync(new SubscriptionSpec("audit-push", "audit-events") { PushEndpoint = "http://127.0.0.1:9/other" }, [PubSubSetting.PushEndpoint]);

        var push = (await wire.GetSubscriptionAsync(new Wire.GetSubscriptionRequest { Subscription = name })).PushConfig;
        Assert.Equal("http://127.0.0.1:9/other", push.PushEndpoint);
        Assert.Equal("v1", push.Attributes["x-goog-version"]);
        Assert.Equal("pusher@demo.iam.gserviceaccount.com", push.OidcToken?.ServiceAccountEmail);
        Assert.Equal("audit", push.OidcToken?.Audience);
    }

    [Fact]
    public async Task Subscription_retention_is_checked_against_31_days_and_the_emulator_s_older_cap_is_explained()
    {
        var calls = new CallCounter();
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("sub31"), calls);
        await admin.CreateTopicAsync(new TopicSpec("audit-events"));
        Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-week", "audit-events") { MessageRetention = TimeSpan.FromDays(7) }));
        Assert.Equal(TimeSpan.FromDays(7), (await admin.GetSubscriptionAsync("audit-week"))!.MessageRetention);
        var before = calls.Total;

        // Past Pub/Sub's 31 days: refused by the rule, before any call.
        var tooLong = await Assert.ThrowsAsync<PubSubException>(() => admin.CreateSubscriptionAsync(
            new SubscriptionSpec("audit-longer", "audit-events") { MessageRetention = TimeSpan.FromDays(32) }));
        Assert.Contains("32d is too long for a subscription's message retention; Pub/Sub allows 10m to 31d", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(before, calls.Total);

        // 31 days is valid for Pub/Sub; Google's emulator still refuses more than 7, and the message says so.
        var emulatorCap = await Assert.ThrowsAsync<PubSubException>(() => admin.CreateSubscriptionAsync(
            new SubscriptionSpec("audit-month", "audit-events") { MessageRetention = ResourceRules.MaxSubscriptionRetention }));
        Assert.Equal(StatusCode.InvalidArgument, emulatorCap.StatusCode);
        Assert.Contains("Pub/Sub allows a subscription 10m to 31d, but Google's Pub/Sub emulator keeps to an older limit of 7d", emulatorCap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_an_existing_subscription_returns_false_and_changes_nothing()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("subtwice"));
        await admin.CreateTopicAsync(new TopicSpec("audit-events"));
        Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events") { AckDeadline = TimeSpan.FromSeconds(20) }));

        var second = await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events") { AckDeadline = TimeSpan.FromSeconds(90) });

        Assert.False(second);
        Assert.Equal(TimeSpan.FromSeconds(20), (await admin.GetSubscriptionAsync("audit-writer"))!.AckDeadline);
    }

    [Fact]
    public async Task Missing_subscription_reads_as_null()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("subnone"));

        Assert.Null(await admin.GetSubscriptionAsync("never-created"));
    }

    [Fact]
    public async Task Update_writes_only_the_settings_in_the_mask()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("subupdate"));
        await admin.CreateTopicAsync(new TopicSpec("audit-events"));
        await admin.CreateTopicAsync(new TopicSpec("audit-dead"));
        await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events")
        {
            Labels = new Dictionary<string, string> { ["team"] = "audit" },
            AckDeadline = TimeSpan.FromSeconds(20),
            MessageRetention = TimeSpan.FromHours(1),
        });
        var declared = new SubscriptionSpec("audit-writer", "audit-events")
        {
            Labels = new Dictionary<string, string> { ["team"] = "core" },
            AckDeadline = TimeSpan.FromSeconds(60),
            MessageRetention = TimeSpan.FromHours(3),
            DeadLetter = new DeadLetterPolicy("audit-dead", 10),
        };

        await admin.UpdateSubscriptionAsync(declared, [PubSubSetting.AckDeadline, PubSubSetting.DeadLetter]);

        var after = (await admin.GetSubscriptionAsync("audit-writer"))!;
        Assert.Equal(TimeSpan.FromSeconds(60), after.AckDeadline);
        Assert.Equal(new DeadLetterPolicy("audit-dead", 10), after.DeadLetter);
        Assert.Equal(TimeSpan.FromHours(1), after.MessageRetention);
        Assert.Equal("audit", after.Labels["team"]);

        await admin.UpdateSubscriptionAsync(declared, [PubSubSetting.MessageRetention]);

        var last = (await admin.GetSubscriptionAsync("audit-writer"))!;
        Assert.Equal(TimeSpan.FromHours(3), last.MessageRetention);
        Assert.Equal(TimeSpan.FromSeconds(60), last.AckDeadline);
        Assert.Equal("audit", last.Labels["team"]);
    }

    [Fact]
    public async Task Label_update_the_emulator_cannot_make_fails_saying_so()
    {
        // Pub/Sub accepts "labels" in an update mask; Google's emulator (0.8.x) refuses it. If a later emulator accepts
        // it, this test fails and the README's note on the emulator's limits should go.
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("sublabels"));
        await admin.CreateTopicAsync(new TopicSpec("audit-events"));
        await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events") { Labels = new Dictionary<string, string> { ["team"] = "audit" } });

        var e = await Assert.ThrowsAsync<PubSubException>(() => admin.UpdateSubscriptionAsync(
            new SubscriptionSpec("audit-writer", "audit-events") { Labels = new Dictionary<string, string> { ["team"] = "core" } }, [PubSubSetting.Labels]));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("emulator cannot change the labels of an existing subscription", e.Message, StringComparison.Ordinal);
        Assert.Equal("audit", (await admin.GetSubscriptionAsync("audit-writer"))!.Labels["team"]);
    }

    [Fact]
    public async Task Changing_the_filter_is_refused_with_what_to_do_and_no_call()
    {
        var calls = new CallCounter();
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("filter"), calls);

        var e = await Assert.ThrowsAsync<PubSubException>(() =>
            admin.UpdateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events") { Filter = "attributes.x = \"y\"" }, [PubSubSetting.Filter]));

        Assert.Contains("filter", e.Message, StringComparison.Ordinal);
        Assert.Contains("new name", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, calls.Total);
    }

    [Fact]
    public async Task Ack_deadline_in_part_seconds_is_refused_before_any_call()
    {
        var calls = new CallCounter();
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("partsec"), calls);

        var e = await Assert.ThrowsAsync<PubSubException>(() =>
            admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events") { AckDeadline = TimeSpan.FromMilliseconds(10_500) }));

        Assert.Contains("whole seconds", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, calls.Total);
    }

    [Fact]
    public async Task Subscription_to_a_missing_topic_fails_saying_to_declare_the_topic_first()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("notopic"));

        var e = await Assert.ThrowsAsync<PubSubException>(() => admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "missing-topic")));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("subscription 'audit-writer' (topic 'missing-topic')", e.Message, StringComparison.Ordinal);
        Assert.Contains("declare the topic", e.Message, StringComparison.Ordinal);
        Assert.Contains(admin.Name, e.Message, StringComparison.Ordinal);
        Assert.Null(await admin.GetSubscriptionAsync("audit-writer"));
    }

    [Fact]
    public async Task Message_published_to_the_topic_arrives_on_the_subscription()
    {
        // Pull subscriptions without a filter: Google's emulator (0.8.x) stores a filter but does not apply it.
        var project = PubSubEmulator.NewProjectId("deliver");
        using var admin = await PubSubEmulator.AdminAsync(project);
        await admin.CreateTopicAsync(new TopicSpec("audit-events"));
        await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events") { AckDeadline = TimeSpan.FromSeconds(30) });
        await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-archive", "audit-events"));
        using var messages = new Messages(await PubSubEmulator.HostAsync(), project);

        await messages.PublishAsync("audit-events", "login-1", new Dictionary<string, string> { ["kind"] = "login" });

        foreach (var subscription in new[] { "audit-writer", "audit-archive" })
        {
            var received = Assert.Single(await messages.PullAsync(subscription, TimeSpan.FromSeconds(10)));
            Assert.Equal("login-1", received.Data);
            Assert.Equal("login", received.Attributes["kind"]);
        }

        // Acknowledged: nothing is delivered again.
        Assert.Empty(await messages.PullAsync("audit-writer", TimeSpan.Zero));
    }

    [Fact]
    public async Task Subscription_to_a_topic_of_another_project_keeps_the_topic_s_full_name()
    {
        var otherProject = PubSubEmulator.NewProjectId("other");
        using var other = await PubSubEmulator.AdminAsync(otherProject);
        await other.CreateTopicAsync(new TopicSpec("shared-events"));
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("cross"));
        var foreignTopic = $"projects/{otherProject}/topics/shared-events";

        Assert.True(await admin.CreateSubscriptionAsync(new SubscriptionSpec("shared-reader", foreignTopic)));

        var read = (await admin.GetSubscriptionAsync("shared-reader"))!;
        Assert.Equal(foreignTopic, read.Topic);
        Assert.Null(await admin.GetTopicAsync("shared-events"));
    }
}
