using Grpc.Core;
using Seeding.Resources;
using Seeding.TestSupport;

namespace Seeding.PubSub.Tests;

/// <summary>Topics on the real emulator, through <see cref="PubSubAdmin"/>; each test in a project of its own.</summary>
public sealed class TopicTests
{
    private static readonly Dictionary<string, string> AuditLabels = new() { ["team"] = "audit", ["tier"] = "gold" };

    [Fact]
    public async Task Created_topic_reads_back_with_its_labels_and_retention()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("topic"));

        var created = await admin.CreateTopicAsync(new TopicSpec("audit-events") { Labels = AuditLabels, MessageRetention = TimeSpan.FromHours(2) });

        Assert.True(created);
        var topic = await admin.GetTopicAsync("audit-events");
        Assert.NotNull(topic);
        Assert.Equal("audit-events", topic.Name);
        Assert.Equal(AuditLabels.OrderBy(l => l.Key), topic.Labels.OrderBy(l => l.Key));
        Assert.Equal(TimeSpan.FromHours(2), topic.MessageRetention);
    }

    [Fact]
    public async Task Topic_without_settings_reads_back_without_them()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("bare"));

        Assert.True(await admin.CreateTopicAsync(new TopicSpec("bare-topic")));

        var topic = await admin.GetTopicAsync("bare-topic");
        Assert.NotNull(topic);
        Assert.Empty(topic.Labels);
        Assert.Null(topic.MessageRetention);
    }

    [Fact]
    public async Task Creating_an_existing_topic_returns_false_and_changes_nothing()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("twice"));
        Assert.True(await admin.CreateTopicAsync(new TopicSpec("audit-events") { Labels = AuditLabels }));

        var second = await admin.CreateTopicAsync(new TopicSpec("audit-events") { Labels = new Dictionary<string, string> { ["team"] = "other" } });

        Assert.False(second);
        Assert.Equal("audit", (await admin.GetTopicAsync("audit-events"))!.Labels["team"]);
    }

    [Fact]
    public async Task Missing_topic_reads_as_null()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("none"));

        Assert.Null(await admin.GetTopicAsync("never-created"));
    }

    [Fact]
    public async Task Same_topic_id_in_another_project_is_another_topic()
    {
        var host = await PubSubEmulator.HostAsync();
        using var first = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("proj-a"));
        using var second = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("proj-b"));

        Assert.True(await first.CreateTopicAsync(new TopicSpec("audit-events")));

        Assert.Null(await second.GetTopicAsync("audit-events"));
        Assert.True(await second.CreateTopicAsync(new TopicSpec("audit-events")));
        Assert.Contains(host, first.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_writes_only_the_settings_in_the_mask()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("tupdate"));
        await admin.CreateTopicAsync(new TopicSpec("audit-events") { Labels = AuditLabels, MessageRetention = TimeSpan.FromHours(2) });

        var changed = new TopicSpec("audit-events") { Labels = new Dictionary<string, string> { ["team"] = "core" }, MessageRetention = TimeSpan.FromHours(5) };
        await admin.UpdateTopicAsync(changed, [PubSubSetting.MessageRetention]);

        var afterRetention = (await admin.GetTopicAsync("audit-events"))!;
        Assert.Equal(TimeSpan.FromHours(5), afterRetention.MessageRetention);
        Assert.Equal("audit", afterRetention.Labels["team"]);

        // Labels: see SubscriptionTests.Label_update_the_emulator_cannot_make_fails_saying_so.
        var e = await Assert.ThrowsAsync<PubSubException>(() => admin.UpdateTopicAsync(changed.MergedOnto(afterRetention), [PubSubSetting.Labels]));
        Assert.Contains("emulator cannot change the labels of an existing topic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Updating_a_missing_topic_fails_saying_what_to_check()
    {
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("tmissing"));

        var e = await Assert.ThrowsAsync<PubSubException>(() => admin.UpdateTopicAsync(new TopicSpec("gone-topic") { MessageRetention = TimeSpan.FromHours(1) }, [PubSubSetting.MessageRetention]));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("topic 'gone-topic'", e.Message, StringComparison.Ordinal);
        Assert.Contains("PUBSUB_PROJECT_ID", e.Message, StringComparison.Ordinal);
        Assert.Contains("Check that it exists", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setting_a_topic_does_not_have_is_refused_before_any_call()
    {
        var calls = new CallCounter();
        using var admin = await PubSubEmulator.AdminAsync(PubSubEmulator.NewProjectId("tbad"), calls);

        var e = await Assert.ThrowsAsync<PubSubException>(() => admin.UpdateTopicAsync(new TopicSpec("audit-events"), [PubSubSetting.AckDeadline]));

        Assert.Contains("ack_deadline", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, calls.Total);
    }
}
