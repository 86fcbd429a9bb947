using Microsoft.Extensions.Logging;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

public class PubSubStepTests
{
    private static readonly TopicSpec AuditEvents = new("audit-events")
    {
        Labels = new Dictionary<string, string> { ["team"] = "audit" },
        MessageRetention = TimeSpan.FromDays(7),
    };

    private static readonly SubscriptionSpec AuditWriter = new("audit-writer", "audit-events")
    {
        AckDeadline = TimeSpan.FromSeconds(60),
        Filter = "attributes.kind = \"audit\"",
        DeadLetter = new DeadLetterPolicy("audit-dead", 10),
    };

    private static SeedDefinition AuditMigration => Migration("0002_audit_topics", SeedPhase.Pre, "sha256:audit",
        SeedStep.Topic(3, new TopicSpec("audit-dead")),
        SeedStep.Topic(5, AuditEvents),
        SeedStep.Subscription(10, AuditWriter),
        Create("settings", Doc("audit", ("enabled", Value.Boolean(true)))));

    private static SeedDefinition AuditBootstrap(TopicSpec topic, SubscriptionSpec subscription) =>
        Bootstrap("audit", SeedStep.Topic(2, topic), SeedStep.Subscription(6, subscription));

    [Fact]
    public async Task Without_a_PubSub_target_every_topic_and_subscription_is_reported_with_the_reason_and_the_documents_still_apply()
    {
        var store = new InMemoryDocumentStore();
        var logger = new CollectingLogger();

        var report = await new SeedRunner(store, logger).RunAsync(Service(AuditMigration), RunRequest.PreDeploy());

        var seed = report.Seeds.Single();
        Assert.Equal(SeedOutcome.Applied, seed.Outcome);
        Assert.Equal(1, report.Created);
        Assert.Equal(
            ["Topic audit-dead:NoTarget:3", "Topic audit-events:NoTarget:5", "Subscription audit-writer:NoTarget:10"],
            report.Resources.Select(r => $"{r.Kind} {r.Name}:{r.Action}:{r.Line}"));
        Assert.All(report.Resources, r => Assert.Equal(
            "no Pub/Sub target: set PUBSUB_EMULATOR_HOST for the emulator, or PUBSUB_PROJECT_ID for a project (a run on production Firestore uses its project); " +
            "a later run with a target ensures it",
            r.Note));
        Assert.Equal(3, report.ResourceCount(ResourceAction.NoTarget));
        Assert.Equal(0, report.ResourceCount(ResourceAction.Create));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("audit-writer", StringComparison.Ordinal) && e.Message.Contains("no Pub/Sub target", StringComparison.Ordinal));
        var status = (await new SeedRunner(store).GetStatusAsync(Service(AuditMigration))).Single();
        Assert.Equal(MigrationState.Applied, status.State);
        Assert.Equal([ResourceTarget.PubSub], status.ResourcesWithoutTarget);
    }

    [Fact]
    public async Task A_migration_creates_topics_and_subscriptions_in_file_order_and_the_next_run_finds_it_applied()
    {
        var store = new InMemoryDocumentStore();
        var pubSub = new RecordingPubSub();
        var runner = new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubSub });

        var first = await runner.RunAsync(Service(AuditMigration), RunRequest.PreDeploy());
        var calls = pubSub.Calls.Count;
        var second = await runner.RunAsync(Service(AuditMigration), RunRequest.PreDeploy());

        Assert.Equal(
            ["CreateTopic audit-dead", "CreateTopic audit-events", "CreateSubscription audit-writer"], // a first run creates first: one call each
            pubSub.Calls.Take(calls));
        Assert.All(first.Resources, r => Assert.Equal(ResourceAction.Create, r.Action));
        Assert.Equal(3, first.ResourceCount(ResourceAction.Create));
        Assert.Equal(1, first.Created); // document counts stay document counts
        Assert.Equal(AuditWriter, pubSub.Subscriptions["audit-writer"]);
        Assert.Equal(SeedOutcome.AlreadyApplied, second.Seeds.Single().Outcome);
        Assert.Empty(second.Resources);
        Assert.Equal(calls, pubSub.Calls.Count);
        Assert.Empty((await runner.GetStatusAsync(Service(AuditMigration))).Single().ResourcesWithoutTarget);
    }

    [Fact]
    public async Task A_migration_leaves_an_existing_topic_alone_and_says_which_declared_settings_differ()
    {
        var pubSub = new RecordingPubSub();
        pubSub.Topics["audit-events"] = new TopicSpec("audit-events") { MessageRetention = TimeSpan.FromDays(1) };
        pubSub.Topics["audit-dead"] = new TopicSpec("audit-dead");
        pubSub.Subscriptions["audit-writer"] = AuditWriter;

        var report = await new SeedRunner(new InMemoryDocumentStore(), options: new SeedRunnerOptions { PubSub = pubSub })
            .RunAsync(Service(AuditMigration), RunRequest.PreDeploy());

        Assert.All(report.Resources, r => Assert.Equal(ResourceAction.SkipExists, r.Action));
        var events = report.Resources.Single(r => r.Name == "audit-events");
        Assert.Contains("differs: labels ({} -> { team: audit }), message_retention (1d -> 7d); a migration never changes what exists", events.Note, StringComparison.Ordinal);
        Assert.Null(report.Resources.Single(r => r.Name == "audit-writer").Note);
        Assert.DoesNotContain(pubSub.Calls, c => c.StartsWith("Update", StringComparison.Ordinal));
        // Each resource is created first (answered: exists), then read to say how it differs. Consecutive topics are
        // ensured concurrently, so only the order within one resource, and topics before subscriptions, are fixed.
        foreach (var (create, get) in new[] { ("CreateTopic audit-dead", "GetTopic audit-dead"), ("CreateTopic audit-events", "GetTopic audit-events"), ("CreateSubscription audit-writer", "GetSubscription audit-writer") })
        {
            Assert.True(pubSub.Calls.IndexOf(create) is >= 0 and var at && at < pubSub.Calls.IndexOf(get), string.Join(", ", pubSub.Calls));
        }

        Assert.Equal(6, pubSub.Calls.Count);
        Assert.Equal(["CreateSubscription audit-writer", "GetSubscription audit-writer"], pubSub.Calls.Skip(4));
        Assert.Equal(TimeSpan.FromDays(1), pubSub.Topics["audit-events"].MessageRetention);
    }

    [Fact]
    public async Task A_bootstrap_file_writes_only_the_declared_settings_that_differ_and_merges_labels()
    {
        var pubSub = new RecordingPubSub();
        pubSub.Topics["audit-events"] = new TopicSpec("audit-events")
        {
            Labels = new Dictionary<string, string> { ["team"] = "platform", ["owner"] = "ops" },
            MessageRetention = TimeSpan.FromDays(7),
        };
        var runner = new SeedRunner(new InMemoryDocumentStore(), options: new SeedRunnerOptions { PubSub = pubSub });
        var bootstrap = Bootstrap("audit", SeedStep.Topic(2, AuditEvents));

        var first = await runner.RunAsync(Service(bootstrap), RunRequest.Bootstrap());
        var second = await runner.RunAsync(Service(bootstrap), RunRequest.Bootstrap());

        var update = Assert.Single(pubSub.Updates);
        Assert.Equal([PubSubSetting.Labels], update.Settings);
        var written = Assert.IsType<TopicSpec>(update.Spec);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "ops", ["team"] = "audit" }, written.Labels);
        Assert.Equal(TimeSpan.FromDays(7), written.MessageRetention);
        var planned = first.Resources.Single();
        Assert.Equal(ResourceAction.Update, planned.Action);
        Assert.Equal("updates labels ({ team: platform } -> { team: audit })", planned.Note);
        Assert.Equal(SeedOutcome.Ensured, first.Seeds.Single().Outcome);
        Assert.Equal(ResourceAction.SkipUnchanged, second.Resources.Single().Action);
    }

    [Fact]
    public async Task A_filter_that_differs_is_never_sent_and_is_reported_and_warned_about()
    {
        var pubSub = new RecordingPubSub();
        pubSub.Topics["audit-events"] = AuditEvents;
        pubSub.Subscriptions["audit-writer"] = AuditWriter with { Filter = "attributes.kind = \"old\"", AckDeadline = TimeSpan.FromSeconds(10) };
        var logger = new CollectingLogger();
        var runner = new SeedRunner(new InMemoryDocumentStore(), logger, new SeedRunnerOptions { PubSub = pubSub });

        var first = await runner.RunAsync(Service(AuditBootstrap(AuditEvents, AuditWriter)), RunRequest.Bootstrap());
        var second = await runner.RunAsync(Service(AuditBootstrap(AuditEvents, AuditWriter)), RunRequest.Bootstrap());

        var update = Assert.Single(pubSub.Updates);
        Assert.Equal([PubSubSetting.AckDeadline], update.Settings);
        Assert.Equal("attributes.kind = \"old\"", Assert.IsType<SubscriptionSpec>(update.Spec).Filter);
        Assert.Equal(TimeSpan.FromSeconds(60), pubSub.Subscriptions["audit-writer"].AckDeadline);
        var planned = first.Resources.Single(r => r.Kind == ResourceKind.Subscription);
        Assert.Equal(ResourceAction.Update, planned.Action);
        Assert.Equal("""updates ack_deadline (10s -> 1m); filter ("attributes.kind = \"old\"" -> "attributes.kind = \"audit\"") differs but is fixed at creation: delete the subscription to change it""", planned.Note);

        // Once the rest holds, only the fixed setting differs: left alone, still reported, still warned about.
        var again = second.Resources.Single(r => r.Kind == ResourceKind.Subscription);
        Assert.Equal(ResourceAction.SkipExists, again.Action);
        Assert.Equal("""filter ("attributes.kind = \"old\"" -> "attributes.kind = \"audit\"") differs but is fixed at creation: delete the subscription to change it""", again.Note);
        Assert.Single(pubSub.Updates);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("audit-writer", StringComparison.Ordinal) && e.Message.Contains("filter", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_subscription_on_another_topic_is_reported_and_its_topic_never_sent()
    {
        var pubSub = new RecordingPubSub();
        pubSub.Topics["audit-events"] = AuditEvents;
        pubSub.Subscriptions["audit-writer"] = AuditWriter with { Topic = "legacy-events" };

        var report = await new SeedRunner(new InMemoryDocumentStore(), options: new SeedRunnerOptions { PubSub = pubSub })
            .RunAsync(Service(AuditBootstrap(AuditEvents, AuditWriter)), RunRequest.Bootstrap());

        var planned = report.Resources.Single(r => r.Kind == ResourceKind.Subscription);
        Assert.Equal(ResourceAction.SkipExists, planned.Action);
        Assert.Contains("topic (legacy-events -> audit-events) differs but is fixed at creation", planned.Note, StringComparison.Ordinal);
        Assert.Empty(pubSub.Updates);
    }

    [Fact]
    public async Task A_create_that_finds_the_resource_created_by_another_runner_is_reported_as_existing()
    {
        var pubSub = new RecordingPubSub { CreatedConcurrently = true };

        var report = await new SeedRunner(new InMemoryDocumentStore(), options: new SeedRunnerOptions { PubSub = pubSub })
            .RunAsync(Service(AuditMigration), RunRequest.PreDeploy());

        Assert.Equal(SeedOutcome.Applied, report.Seeds.Single().Outcome);
        Assert.All(report.Resources, r => Assert.Equal(ResourceAction.SkipExists, r.Action));
        Assert.All(report.Resources, r => Assert.Equal("already existed (created by another runner, or by an earlier attempt of this call)", r.Note));
    }

    [Fact]
    public async Task A_dry_run_only_reads_and_plans_what_the_real_run_then_does()
    {
        var store = new InMemoryDocumentStore();
        var pubSub = new RecordingPubSub();
        pubSub.Subscriptions["audit-writer"] = AuditWriter with { AckDeadline = TimeSpan.FromSeconds(10), Labels = new Dictionary<string, string> { ["x"] = "y" } };
        var runner = new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubSub });
        var service = Service(AuditMigration, AuditBootstrap(AuditEvents, AuditWriter));

        var dryRun = await runner.RunAsync(service, RunRequest.All(dryRun: true));
        var dryCalls = pubSub.Calls.ToArray();
        var dryWrites = store.WriteCalls;
        var real = await runner.RunAsync(service, RunRequest.All());

        Assert.All(dryCalls, c => Assert.StartsWith("Get", c, StringComparison.Ordinal));
        Assert.Equal(0, dryWrites);
        Assert.Equal(
            ["audit-dead:Create", "audit-events:Create", "audit-writer:SkipExists", "audit-events:SkipUnchanged", "audit-writer:Update"],
            dryRun.Resources.Select(r => $"{r.Name}:{r.Action}"));
        Assert.Equal(dryRun.Resources.Select(r => (r.Kind, r.Name, r.Action, r.Line, r.Note)), real.Resources.Select(r => (r.Kind, r.Name, r.Action, r.Line, r.Note)));
        Assert.Equal(TimeSpan.FromSeconds(60), pubSub.Subscriptions["audit-writer"].AckDeadline);
    }

    [Fact]
    public async Task Conditions_leave_resource_steps_out_with_the_reason_and_no_call()
    {
        var pubSub = new RecordingPubSub();
        var onlyInProd = new StepConditions { Environments = ["prod"] };
        var seed = Migration("0002_audit_topics", SeedPhase.Pre, "sha256:cond",
            SeedStep.Topic(3, AuditEvents, onlyInProd),
            SeedStep.Topic(7, new TopicSpec("always")));

        var report = await new SeedRunner(new InMemoryDocumentStore(), options: new SeedRunnerOptions { PubSub = pubSub })
            .RunAsync(Service(seed), RunRequest.PreDeploy() with { Environment = "dev" });

        var skipped = Assert.Single(report.Seeds.Single().SkippedSteps);
        Assert.Equal("topic audit-events", skipped.Description);
        Assert.Equal(3, skipped.Line);
        Assert.Equal(["always:Create"], report.Resources.Select(r => $"{r.Name}:{r.Action}"));
        Assert.DoesNotContain(pubSub.Calls, c => c.Contains("audit-events", StringComparison.Ordinal));
    }
}

public class RevertResourceTests
{
    [Fact]
    public async Task Revert_deletes_the_migration_s_documents_and_lists_its_topics_and_subscription_as_kept_without_calling_pub_sub()
    {
        var store = new InMemoryDocumentStore();
        var pubSub = new RecordingPubSub();
        var migration = Migration("0002_audit_topics", SeedPhase.Pre, "sha256:audit",
            SeedStep.Topic(3, new TopicSpec("audit-events")),
            SeedStep.Subscription(6, new SubscriptionSpec("audit-writer", "audit-events")),
            Create("settings", Doc("audit", ("enabled", Value.Boolean(true)))));
        await new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubSub }).RunAsync(Service(migration), RunRequest.PreDeploy());
        var callsBefore = pubSub.Calls.Count;

        var report = await new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubSub }).RevertAsync(Service(migration), "0002_audit_topics");

        Assert.Equal([DocumentPath.Parse("settings/audit")], report.Deleted);
        Assert.Equal(
            [(ResourceKind.Topic, "audit-events", 3), (ResourceKind.Subscription, "audit-writer", 6)],
            report.KeptResources.Select(k => (k.Kind, k.Name, k.Line)));
        Assert.All(report.KeptResources, k => Assert.Contains("deletes documents only", k.Reason, StringComparison.Ordinal));
        Assert.Equal(callsBefore, pubSub.Calls.Count);
        Assert.True(pubSub.Topics.ContainsKey("audit-events"));
    }
}

public class ConcurrentPubSubStepTests
{
    /// <summary>A Pub/Sub target whose calls take a while, counting how many are in flight at once.</summary>
    private static SeedDefinition ManyTopics(int count) => Migration("0002_many_topics", SeedPhase.Pre, "sha256:many",
        [
            .. Enumerable.Range(0, count).Select(i => SeedStep.Topic(10 + i, new TopicSpec($"topic-{i:D3}"))),
            .. Enumerable.Range(0, count).Select(i => SeedStep.Subscription(100 + i, new SubscriptionSpec($"sub-{i:D3}", $"topic-{i:D3}"))),
        ]);

    [Fact]
    public async Task Consecutive_topics_and_then_subscriptions_are_ensured_a_few_at_a_time_and_reported_in_file_order()
    {
        var pubSub = new RecordingPubSub { CallDelay = TimeSpan.FromMilliseconds(20) };

        var report = await new SeedRunner(new InMemoryDocumentStore(), options: new SeedRunnerOptions { PubSub = pubSub })
            .RunAsync(Service(ManyTopics(20)), RunRequest.PreDeploy());

        Assert.Equal(
            [.. Enumerable.Range(0, 20).Select(i => $"Topic topic-{i:D3}:Create:{10 + i}"), .. Enumerable.Range(0, 20).Select(i => $"Subscription sub-{i:D3}:Create:{100 + i}")],
            report.Resources.Select(r => $"{r.Kind} {r.Name}:{r.Action}:{r.Line}"));
        Assert.InRange(pubSub.MaxInFlight, 2, ResourceApplier.PubSubConcurrency);

        // Every subscription was created after every topic: the batches of the two kinds do not overlap.
        var calls = pubSub.Calls;
        var lastTopicCreate = calls.FindLastIndex(c => c.StartsWith("CreateTopic", StringComparison.Ordinal));
        var firstSubscriptionCall = calls.FindIndex(c => c.Contains("Subscription", StringComparison.Ordinal));
        Assert.True(lastTopicCreate < firstSubscriptionCall, string.Join("\n", calls));
    }

    [Fact]
    public async Task A_failure_in_a_batch_names_the_first_failed_step_in_file_order_reports_what_was_done_and_the_migration_stays_pending()
    {
        var store = new InMemoryDocumentStore();
        var pubSub = new RecordingPubSub { CallDelay = TimeSpan.FromMilliseconds(20), FailingTopic = "topic-005" };
        var migration = ManyTopics(12);

        var failure = await Assert.ThrowsAsync<SeedRunException>(() =>
            new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubSub }).RunAsync(Service(migration), RunRequest.PreDeploy()));

        var failed = failure.Report.Failed!;
        Assert.Equal(("topic topic-005", 15), (failed.Failure!.Step, failed.Failure.Line));
        Assert.Equal(Enumerable.Range(0, 12).Where(i => i != 5).Select(i => $"topic-{i:D3}"), failed.Resources.Select(r => r.Name));
        Assert.Equal(MigrationState.Pending, (await new SeedRunner(store).GetStatusAsync(Service(migration))).Single().State);
    }
}
