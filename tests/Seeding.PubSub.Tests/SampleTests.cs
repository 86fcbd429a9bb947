using Seeding.Resources;
using Seeding.Running;
using Seeding.TestSupport;

namespace Seeding.PubSub.Tests;

/// <summary>The audit sample's seed files, as the generator compiled them, applied to the emulator.</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task Audit_sample_ensures_its_topics_and_subscription_once()
    {
        using var fixture = new RunnerFixture();
        var service = Samples.Audit.Seeds.SeedingRegistry.Service;

        var first = await fixture.RunAsync(service, RunRequest.PreDeploy());

        var topics = first.Seeds.Single(s => s.Seed.Id == "0002_audit_topics");
        Assert.Equal(SeedOutcome.Applied, topics.Outcome);
        Assert.Equal(
            [("audit-events", ResourceAction.Create), ("audit-events-dead-letter", ResourceAction.Create), ("audit-writer", ResourceAction.Create)],
            topics.Resources.Select(r => (r.Name, r.Action)));
        using var admin = await PubSubEmulator.AdminAsync(fixture.ProjectId);
        var topic = (await admin.GetTopicAsync("audit-events"))!;
        Assert.Equal(TimeSpan.FromDays(7), topic.MessageRetention);
        Assert.Equal("audit", topic.Labels["team"]);
        var subscription = (await admin.GetSubscriptionAsync("audit-writer"))!;
        Assert.Equal("audit-events", subscription.Topic);
        Assert.Equal(TimeSpan.FromSeconds(60), subscription.AckDeadline);
        Assert.Equal(TimeSpan.FromDays(7), subscription.MessageRetention);
        Assert.Equal("attributes.kind = \"audit\"", subscription.Filter);
        Assert.Equal(new DeadLetterPolicy("audit-events-dead-letter", 5), subscription.DeadLetter);
        Assert.Null(subscription.PushEndpoint);

        fixture.Calls.Reset();
        var second = await fixture.RunAsync(service, RunRequest.PreDeploy());

        Assert.All(second.Seeds, s => Assert.Equal(SeedOutcome.AlreadyApplied, s.Outcome));
        Assert.Equal(0, fixture.Calls.Total);
    }
}
