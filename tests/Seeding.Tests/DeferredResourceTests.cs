using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>A migration applied while some resource steps had no target: a later run with the target finishes the job.</summary>
public class DeferredResourceTests
{
    private static readonly IndexSpec UsersByTenantEmail = new("users", IndexScope.Collection,
        [new IndexField("tenant_id", IndexOrder.Ascending), new IndexField("email", IndexOrder.Ascending)]);

    private static SeedDefinition Audit => Migration("0002_audit_topics", SeedPhase.Pre, "sha256:audit",
        Create("settings", Doc("audit", ("enabled", Value.Boolean(true)))),
        SeedStep.Topic(5, new TopicSpec("audit-events")),
        SeedStep.Subscription(9, new SubscriptionSpec("audit-writer", "audit-events")),
        SeedStep.Index(14, UsersByTenantEmail));

    private static DocumentPath HistoryOf(SeedDefinition migration) => DocumentPath.Create("seeding_history", $"tenant:pre:{migration.Id}");

    [Fact]
    public async Task A_later_run_with_a_PubSub_target_creates_what_was_left_and_clears_it_from_history()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        var applied = await store.Runner().RunAsync(Service(Audit), RunRequest.PreDeploy());
        Assert.Equal(["Topic:NoTarget", "Subscription:NoTarget", "Index:Building"], applied.Resources.Select(r => $"{r.Kind}:{r.Action}"));
        var history = (await store.GetAllAsync([HistoryOf(Audit)]))[0];
        Assert.Equal([Value.String("pubsub")], history.Fields["resources_without_target"].AsArray());
        var pubSub = new RecordingPubSub();
        var runner = store.Runner(new SeedRunnerOptions { PubSub = pubSub });
        var indexCalls = store.Calls.Count;
        var documentsBefore = store.Documents.Count;

        var finishing = await runner.RunAsync(Service(Audit), RunRequest.PreDeploy());

        var seed = finishing.Seeds.Single();
        Assert.Equal(SeedOutcome.AlreadyApplied, seed.Outcome);
        Assert.Equal(0, finishing.Created);
        Assert.Equal(["Topic audit-events:Create", "Subscription audit-writer:Create"], seed.Resources.Select(r => $"{r.Kind} {r.Name}:{r.Action}"));
        Assert.Equal(["CreateTopic audit-events", "CreateSubscription audit-writer"], pubSub.Calls);
        Assert.Equal(indexCalls, store.Calls.Count); // the index was not deferred: not asked about again
        Assert.Equal(documentsBefore, store.Documents.Count); // the lock document was there already; no document is added
        var status = (await runner.GetStatusAsync(Service(Audit))).Single();
        Assert.Equal(MigrationState.Applied, status.State);
        Assert.Empty(status.ResourcesWithoutTarget);

        // Done: the next run asks Pub/Sub nothing and reads only its one batch.
        var reads = store.Documents.ReadCalls;
        var writes = store.Documents.WriteCalls;
        var done = await runner.RunAsync(Service(Audit), RunRequest.PreDeploy());
        Assert.Empty(done.Resources);
        Assert.Equal(2, pubSub.Calls.Count);
        Assert.Equal(1, store.Documents.ReadCalls - reads);
        Assert.Equal(0, store.Documents.WriteCalls - writes);
    }

    [Fact]
    public async Task Without_the_target_a_later_run_reports_the_steps_again_and_writes_nothing()
    {
        var store = new InMemoryDocumentStore();
        await new SeedRunner(store).RunAsync(Service(Audit), RunRequest.PreDeploy());
        var (reads, writes) = (store.ReadCalls, store.WriteCalls);

        var again = await new SeedRunner(store).RunAsync(Service(Audit), RunRequest.PreDeploy());

        Assert.Equal(SeedOutcome.AlreadyApplied, again.Seeds.Single().Outcome);
        Assert.Equal(["Topic:NoTarget", "Subscription:NoTarget"], again.Resources.Select(r => $"{r.Kind}:{r.Action}"));
        Assert.Equal(1, store.ReadCalls - reads);
        Assert.Equal(0, store.WriteCalls - writes);
        Assert.Equal([ResourceTarget.PubSub], (await new SeedRunner(store).GetStatusAsync(Service(Audit))).Single().ResourcesWithoutTarget);
    }

    [Fact]
    public async Task Indexes_without_a_target_are_not_left_for_a_later_run_because_the_store_never_gains_an_index_api()
    {
        var store = new InMemoryDocumentStore();
        var applied = await new SeedRunner(store).RunAsync(Service(Audit), RunRequest.PreDeploy());
        var index = applied.Resources.Single(r => r.Kind == ResourceKind.Index);
        Assert.Equal(ResourceAction.NoTarget, index.Action);
        Assert.DoesNotContain("later run", index.Note, StringComparison.Ordinal);
        Assert.Contains("later run", applied.Resources.First(r => r.Kind == ResourceKind.Topic).Note, StringComparison.Ordinal);
        var pubSub = new RecordingPubSub();
        pubSub.Topics["audit-events"] = new TopicSpec("audit-events");

        var report = await new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubSub }).RunAsync(Service(Audit), RunRequest.PreDeploy());

        Assert.Equal(["Topic:SkipExists", "Subscription:Create"], report.Resources.Select(r => $"{r.Kind}:{r.Action}"));
        Assert.Empty((await new SeedRunner(store).GetStatusAsync(Service(Audit))).Single().ResourcesWithoutTarget);
    }

    [Fact]
    public async Task A_dry_run_plans_the_deferred_steps_with_reads_only_and_clears_nothing()
    {
        var store = new InMemoryDocumentStore();
        await new SeedRunner(store).RunAsync(Service(Audit), RunRequest.PreDeploy());
        var pubSub = new RecordingPubSub();
        var writes = store.WriteCalls;

        var plan = await new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubSub }).RunAsync(Service(Audit), RunRequest.PreDeploy(dryRun: true));

        Assert.Equal(["Topic:Create", "Subscription:Create"], plan.Resources.Select(r => $"{r.Kind}:{r.Action}"));
        Assert.Equal(["GetTopic audit-events", "GetSubscription audit-writer"], pubSub.Calls);
        Assert.Equal(writes, store.WriteCalls);
        Assert.Equal([ResourceTarget.PubSub], (await new SeedRunner(store).GetStatusAsync(Service(Audit))).Single().ResourcesWithoutTarget);
    }

    [Fact]
    public async Task A_failure_while_finishing_leaves_the_history_as_it_was_so_the_next_run_tries_again()
    {
        var store = new InMemoryDocumentStore();
        await new SeedRunner(store).RunAsync(Service(Audit), RunRequest.PreDeploy());
        var pubSub = new RecordingPubSub { FailCreates = "Pub/Sub is unavailable" };

        var failure = await Assert.ThrowsAsync<SeedRunException>(() =>
            new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubSub }).RunAsync(Service(Audit), RunRequest.PreDeploy()));

        Assert.Equal("topic audit-events", failure.Report.Failed!.Failure!.Step);
        Assert.Equal([ResourceTarget.PubSub], (await new SeedRunner(store).GetStatusAsync(Service(Audit))).Single().ResourcesWithoutTarget);
        pubSub.FailCreates = null;
        var retry = await new SeedRunner(store, options: new SeedRunnerOptions { PubSub = pubSub }).RunAsync(Service(Audit), RunRequest.PreDeploy());
        Assert.Equal(["Topic:Create", "Subscription:Create"], retry.Resources.Select(r => $"{r.Kind}:{r.Action}"));
        Assert.Empty((await new SeedRunner(store).GetStatusAsync(Service(Audit))).Single().ResourcesWithoutTarget);
    }
}
