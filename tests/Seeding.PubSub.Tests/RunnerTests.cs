using Seeding.Definitions;
using Seeding.Resources;
using Seeding.Running;
using Xunit.Abstractions;
using Seeding.TestSupport;

namespace Seeding.PubSub.Tests;

/// <summary>Topic and subscription steps through <see cref="SeedRunner"/>, against the emulator and a SQLite store.</summary>
public sealed class RunnerTests(ITestOutputHelper output)
{
    private static readonly string[] AuditNames = ["audit-events", "audit-dead-letter", "audit-writer"];

    [Fact]
    public async Task Migration_creates_topics_and_subscription_once_and_the_second_run_is_already_applied()
    {
        using var fixture = new RunnerFixture();
        var service = RunnerFixture.Service(SeedPhase.Pre, RunnerFixture.AuditSteps());

        var first = await fixture.RunAsync(service, RunRequest.PreDeploy());

        Assert.Equal(SeedOutcome.Applied, Assert.Single(first.Seeds).Outcome);
        Assert.Equal(AuditNames, first.Resources.Select(r => r.Name));
        Assert.All(first.Resources, r => Assert.Equal(ResourceAction.Create, r.Action));
        Assert.Equal([ResourceKind.Topic, ResourceKind.Topic, ResourceKind.Subscription], first.Resources.Select(r => r.Kind));
        Assert.Equal([3, 8, 10], first.Resources.Select(r => r.Line));
        using var admin = await PubSubEmulator.AdminAsync(fixture.ProjectId);
        var subscription = await admin.GetSubscriptionAsync("audit-writer");
        Assert.NotNull(subscription);
        Assert.Equal(TimeSpan.FromSeconds(30), subscription.AckDeadline);
        Assert.Equal(new DeadLetterPolicy("audit-dead-letter", 5), subscription.DeadLetter);
        Assert.Equal(TimeSpan.FromDays(1), (await admin.GetTopicAsync("audit-events"))!.MessageRetention);
        // Round trips: a migration's real run creates first, so each absent resource costs one call.
        Assert.Equal((2, 1, 3), (fixture.Calls["CreateTopic"], fixture.Calls["CreateSubscription"], fixture.Calls.Total));
        var createRun = fixture.Calls.ToString();

        fixture.Calls.Reset();
        var second = await fixture.RunAsync(service, RunRequest.PreDeploy());

        Assert.Equal(SeedOutcome.AlreadyApplied, Assert.Single(second.Seeds).Outcome);
        Assert.Equal(0, fixture.Calls.Total);
        output.WriteLine($"migration, 2 topics + 1 subscription: first run {createRun}; second run {fixture.Calls}; emulator start {PubSubEmulator.StartTime.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task Bootstrap_creates_then_skips_unchanged_with_reads_only()
    {
        using var fixture = new RunnerFixture();
        var service = RunnerFixture.Service(SeedPhase.Bootstrap, RunnerFixture.AuditSteps());

        var first = await fixture.RunAsync(service, RunRequest.Bootstrap());
        Assert.Equal(SeedOutcome.Ensured, Assert.Single(first.Seeds).Outcome);
        Assert.All(first.Resources, r => Assert.Equal(ResourceAction.Create, r.Action));
        // Round trips: one Get and one Create per resource, then one Get per resource.
        Assert.Equal((2, 2, 1, 1), (fixture.Calls["GetTopic"], fixture.Calls["CreateTopic"], fixture.Calls["GetSubscription"], fixture.Calls["CreateSubscription"]));
        Assert.Equal(6, fixture.Calls.Total);
        var createRun = fixture.Calls.ToString();

        fixture.Calls.Reset();
        var second = await fixture.RunAsync(service, RunRequest.Bootstrap());

        Assert.Equal(AuditNames, second.Resources.Select(r => r.Name));
        Assert.All(second.Resources, r => Assert.Equal(ResourceAction.SkipUnchanged, r.Action));
        Assert.Equal((2, 1, 3), (fixture.Calls["GetTopic"], fixture.Calls["GetSubscription"], fixture.Calls.Total));
        output.WriteLine($"bootstrap, 2 topics + 1 subscription: first run {createRun}; second run {fixture.Calls}");
    }

    [Fact]
    public async Task Bootstrap_restores_a_drifted_setting_and_keeps_labels_it_does_not_declare()
    {
        using var fixture = new RunnerFixture();
        using var admin = await PubSubEmulator.AdminAsync(fixture.ProjectId);
        // Someone made the resources by hand: an extra label each, and a different ack deadline.
        await admin.CreateTopicAsync(new TopicSpec("audit-events")
        {
            Labels = new Dictionary<string, string> { ["team"] = "audit", ["owner"] = "ops" },
            MessageRetention = TimeSpan.FromDays(1),
        });
        await admin.CreateTopicAsync(new TopicSpec("audit-dead-letter"));
        await admin.CreateSubscriptionAsync(new SubscriptionSpec("audit-writer", "audit-events")
        {
            Labels = new Dictionary<string, string> { ["team"] = "audit", ["owner"] = "ops" },
            AckDeadline = TimeSpan.FromSeconds(90),
            MessageRetention = TimeSpan.FromHours(12),
            Filter = "attributes.kind = \"audit\"",
            DeadLetter = new DeadLetterPolicy("audit-dead-letter", 5),
        });
        var service = RunnerFixture.Service(SeedPhase.Bootstrap, RunnerFixture.AuditSteps());

        var report = await fixture.RunAsync(service, RunRequest.Bootstrap());

        Assert.Equal([ResourceAction.SkipUnchanged, ResourceAction.SkipUnchanged, ResourceAction.Update], report.Resources.Select(r => r.Action));
        Assert.Contains(PubSubSetting.AckDeadline, report.Resources.Last().Note, StringComparison.Ordinal);
        var restored = (await admin.GetSubscriptionAsync("audit-writer"))!;
        Assert.Equal(TimeSpan.FromSeconds(30), restored.AckDeadline);
        Assert.Equal("ops", restored.Labels["owner"]);
        Assert.Equal("audit", restored.Labels["team"]);
        Assert.Equal(TimeSpan.FromHours(12), restored.MessageRetention);

        // Drift again, outside Seeding: the next start puts it back.
        await admin.UpdateSubscriptionAsync(restored with { AckDeadline = TimeSpan.FromSeconds(200) }, [PubSubSetting.AckDeadline]);
        var again = await fixture.RunAsync(service, RunRequest.Bootstrap());

        Assert.Equal(ResourceAction.Update, again.Resources.Last().Action);
        Assert.Equal(TimeSpan.FromSeconds(30), (await admin.GetSubscriptionAsync("audit-writer"))!.AckDeadline);
        Assert.All((await fixture.RunAsync(service, RunRequest.Bootstrap())).Resources, r => Assert.Equal(ResourceAction.SkipUnchanged, r.Action));
    }

    [Fact]
    public async Task Eight_concurrent_runners_create_each_resource_once_and_all_succeed()
    {
        using var fixture = new RunnerFixture();
        var service = RunnerFixture.Service(SeedPhase.Pre, RunnerFixture.AuditSteps());

        var reports = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => fixture.RunAsync(service, RunRequest.PreDeploy()))));

        Assert.Equal(1, reports.Count(r => r.Seeds.Single().Outcome == SeedOutcome.Applied));
        Assert.Equal(7, reports.Count(r => r.Seeds.Single().Outcome == SeedOutcome.AlreadyApplied));
        foreach (var name in AuditNames)
        {
            Assert.Equal(1, reports.SelectMany(r => r.Resources).Count(r => r.Name == name && r.Action == ResourceAction.Create));
        }

        Assert.Equal(2, fixture.Calls["CreateTopic"]);
        Assert.Equal(1, fixture.Calls["CreateSubscription"]);
        using var admin = await PubSubEmulator.AdminAsync(fixture.ProjectId);
        Assert.NotNull(await admin.GetSubscriptionAsync("audit-writer"));
    }

    [Fact]
    public async Task Eight_concurrent_bootstraps_all_succeed_and_create_each_topic_once()
    {
        using var fixture = new RunnerFixture();
        var service = RunnerFixture.Service(SeedPhase.Bootstrap, RunnerFixture.AuditSteps());

        var reports = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => fixture.RunAsync(service, RunRequest.Bootstrap()))));

        Assert.All(reports, r => Assert.Equal(SeedOutcome.Ensured, r.Seeds.Single().Outcome));
        foreach (var name in AuditNames)
        {
            var actions = reports.SelectMany(r => r.Resources).Where(r => r.Name == name).Select(r => r.Action).ToList();
            output.WriteLine($"{name}: {string.Join(", ", actions)}");
            Assert.Equal(8, actions.Count);
            Assert.All(actions, a => Assert.Contains(a, new[] { ResourceAction.Create, ResourceAction.SkipExists, ResourceAction.SkipUnchanged }));
            // Google's emulator (0.8.20) answers CreateSubscription racing on one name with OK more than once (in 71
            // of 100 races of 8 clients), where Pub/Sub answers ALREADY_EXISTS to all but one; its CreateTopic is atomic
            // (0 of 100). So "exactly
            // once" is checked for topics here, and for subscriptions through the migration's lease above.
            if (name != "audit-writer")
            {
                Assert.Equal(1, actions.Count(a => a == ResourceAction.Create));
            }
            else
            {
                Assert.Contains(ResourceAction.Create, actions);
            }
        }

        using var admin = await PubSubEmulator.AdminAsync(fixture.ProjectId);
        var subscription = (await admin.GetSubscriptionAsync("audit-writer"))!;
        Assert.Equal(TimeSpan.FromSeconds(30), subscription.AckDeadline);
        Assert.Equal(new DeadLetterPolicy("audit-dead-letter", 5), subscription.DeadLetter);
    }

    [Fact]
    public async Task Eight_clients_racing_to_create_one_topic_get_one_true()
    {
        var project = PubSubEmulator.NewProjectId("race");
        var admins = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PubSubEmulator.AdminAsync(project)));
        try
        {
            var results = await Task.WhenAll(admins.Select(a => Task.Run(() => a.CreateTopicAsync(new TopicSpec("audit-events")))));

            Assert.Equal(1, results.Count(created => created));
        }
        finally
        {
            foreach (var admin in admins)
            {
                admin.Dispose();
            }
        }
    }

    [Fact]
    public async Task Dry_run_only_reads_and_creates_nothing()
    {
        using var fixture = new RunnerFixture();
        var service = RunnerFixture.Service(SeedPhase.Pre, RunnerFixture.AuditSteps());

        var report = await fixture.RunAsync(service, RunRequest.PreDeploy(dryRun: true));

        Assert.Equal(SeedOutcome.Planned, Assert.Single(report.Seeds).Outcome);
        Assert.Equal(AuditNames, report.Resources.Select(r => r.Name));
        Assert.All(report.Resources, r => Assert.Equal(ResourceAction.Create, r.Action));
        Assert.Equal(fixture.Calls.Total, fixture.Calls["GetTopic"] + fixture.Calls["GetSubscription"]);
        using var admin = await PubSubEmulator.AdminAsync(fixture.ProjectId);
        Assert.Null(await admin.GetTopicAsync("audit-events"));
        Assert.Null(await admin.GetTopicAsync("audit-dead-letter"));
        Assert.Null(await admin.GetSubscriptionAsync("audit-writer"));
    }

    [Fact]
    public async Task Dry_run_of_a_drifted_bootstrap_plans_the_update_and_writes_nothing()
    {
        using var fixture = new RunnerFixture();
        var service = RunnerFixture.Service(SeedPhase.Bootstrap, RunnerFixture.AuditSteps());
        await fixture.RunAsync(service, RunRequest.Bootstrap());
        using var admin = await PubSubEmulator.AdminAsync(fixture.ProjectId);
        var drifted = (await admin.GetSubscriptionAsync("audit-writer"))! with { AckDeadline = TimeSpan.FromSeconds(120) };
        await admin.UpdateSubscriptionAsync(drifted, [PubSubSetting.AckDeadline]);
        fixture.Calls.Reset();

        var report = await fixture.RunAsync(service, RunRequest.Bootstrap(dryRun: true));

        Assert.Equal([ResourceAction.SkipUnchanged, ResourceAction.SkipUnchanged, ResourceAction.Update], report.Resources.Select(r => r.Action));
        Assert.Equal(fixture.Calls.Total, fixture.Calls["GetTopic"] + fixture.Calls["GetSubscription"]);
        Assert.Equal(TimeSpan.FromSeconds(120), (await admin.GetSubscriptionAsync("audit-writer"))!.AckDeadline);
    }
}
