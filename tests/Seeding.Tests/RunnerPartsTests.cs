using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.PubSub;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

/// <summary>The runner's parts on their own, over the in-memory store: each does its one job without the orchestrator.</summary>
public class RunnerPartsTests
{
    private static RunState Run(IDocumentStore store, RunRequest request, SeedRunnerOptions? options = null, Dictionary<DocumentPath, DocumentSnapshot>? snapshots = null) =>
        new(store, options ?? new SeedRunnerOptions(), "tenant", request, snapshots ?? [], CancellationToken.None);

    private static MigrationContext Context(IDocumentStore store, bool dryRun) => new("tenant", store, NullLogger.Instance, dryRun);

    [Fact]
    public async Task DocumentApplier_plans_a_keyed_step_against_the_snapshots_and_writes_only_what_is_missing()
    {
        var store = new InMemoryDocumentStore();
        var existing = DocumentPath.Create("roles", "admin");
        await store.CommitAsync([DocumentWrite.Create(existing, new Dictionary<string, Value> { ["name"] = Value.String("Admin") })]);
        var snapshots = (await store.GetAllAsync([existing, DocumentPath.Create("roles", "user")])).ToDictionary(s => s.Path);
        var step = Create("roles", Doc("admin", ("name", Value.String("Admin"))), Doc("user", ("name", Value.String("User"))));
        var context = Context(store, dryRun: false);

        await new DocumentApplier(store).ApplyAsync(Run(store, RunRequest.PreDeploy(), snapshots: snapshots), Migration("0001_roles", SeedPhase.Pre, "sha256:r", step), step, context);
        await context.FlushAsync();

        Assert.Equal(["roles/admin:SkipExists", "roles/user:Create"], context.Plan.Select(p => $"{p.Path}:{p.Action}"));
        Assert.True((await store.GetAllAsync([DocumentPath.Create("roles", "user")]))[0].Exists);
    }

    [Fact]
    public async Task DocumentApplier_in_a_dry_run_plans_a_match_step_and_writes_nothing()
    {
        var store = new InMemoryDocumentStore();
        var step = SeedStep.CreateMatching("plans", 3, [Doc("ignored", ("code", Value.String("free")))], ["code"], "plan-{hash:8}");
        var context = Context(store, dryRun: true);

        await new DocumentApplier(store).ApplyAsync(Run(store, RunRequest.PreDeploy(dryRun: true)), Migration("0002_plans", SeedPhase.Pre, "sha256:p", step), step, context);
        await context.FlushAsync();

        Assert.Equal([PlanAction.Create], context.Plan.Select(p => p.Action));
        Assert.Equal(0, store.WriteCalls);
    }

    private static SeedDefinition Topics(int count) => Migration("0003_topics", SeedPhase.Pre, "sha256:t",
        [.. Enumerable.Range(0, count).Select(i => SeedStep.Topic(10 + i, new TopicSpec($"topic-{i:D2}")))]);

    [Fact]
    public async Task ResourceApplier_ensures_a_batch_of_topics_concurrently_and_reports_them_in_file_order()
    {
        var store = new InMemoryDocumentStore();
        var pubSub = new RecordingPubSub { CallDelay = TimeSpan.FromMilliseconds(30) };
        var seed = Topics(20);
        var attempt = new SeedAttempt(seed);

        var next = await new ResourceApplier(store, new SeedRunnerOptions { PubSub = pubSub }, NullLogger.Instance)
            .ApplyBatchAsync(Run(store, RunRequest.PreDeploy(dryRun: true)), seed, seed.Steps, 0, attempt);

        Assert.Equal(20, next);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"topic-{i:D2}:Create"), attempt.Resources.Select(r => $"{r.Name}:{r.Action}"));
        // The calls overlapped, never more than the runner's limit at once.
        Assert.InRange(pubSub.MaxInFlight, 2, ResourceApplier.PubSubConcurrency);
    }

    [Fact]
    public async Task ResourceApplier_rethrows_the_clients_failure_and_names_the_first_failed_step_in_file_order()
    {
        var store = new InMemoryDocumentStore();
        var pubSub = new RecordingPubSub { CallDelay = TimeSpan.FromMilliseconds(10), FailingTopic = "topic-03" };
        var seed = Topics(10);
        var attempt = new SeedAttempt(seed);

        var error = await Assert.ThrowsAsync<PubSubException>(() => new ResourceApplier(store, new SeedRunnerOptions { PubSub = pubSub }, NullLogger.Instance)
            .ApplyBatchAsync(Run(store, RunRequest.PreDeploy()), seed, seed.Steps, 0, attempt));

        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(("topic topic-03", 13), (attempt.Step, attempt.Line));
        Assert.Equal(9, attempt.Resources.Count);
        Assert.DoesNotContain(attempt.Resources, r => r.Name == "topic-03");
    }

    [Fact]
    public void ResourceApplier_says_why_a_target_is_missing_and_takes_the_index_admin_only_from_the_capabilities()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        var without = new ResourceApplier(store, new SeedRunnerOptions(), NullLogger.Instance);
        var with = new ResourceApplier(store, new SeedRunnerOptions { Capabilities = new StoreCapabilities { Indexes = store } }, NullLogger.Instance);

        // The store implements IIndexAdmin, but nothing said so: it is not used.
        Assert.Equal("the index-managing in-memory store has no Firestore indexes to manage", without.WhyNoTarget(ResourceTarget.Indexes));
        Assert.Null(with.WhyNoTarget(ResourceTarget.Indexes));
        Assert.Contains("PUBSUB_EMULATOR_HOST", with.WhyNoTarget(ResourceTarget.PubSub));
    }

    [Fact]
    public async Task IndexApplier_creates_an_absent_index_and_decides_later_steps_against_the_runs_list()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        var spec = new IndexSpec("users", IndexScope.Collection, [new IndexField("tenant_id", IndexOrder.Ascending), new IndexField("email", IndexOrder.Ascending)]);
        var applier = new IndexApplier(store, TimeProvider.System, NullLogger.Instance);
        var run = Run(store, RunRequest.PreDeploy());

        var first = await applier.EnsureIndexAsync(run, (IndexStep)SeedStep.Index(4, spec));
        var again = await applier.EnsureIndexAsync(run, (IndexStep)SeedStep.Index(9, spec));

        Assert.Equal(ResourceAction.Building, first.Action);
        Assert.Equal(ResourceAction.Building, again.Action);
        Assert.Equal(1, store.Calls.Count(c => c.StartsWith("CreateIndex", StringComparison.Ordinal)));
        Assert.Equal(1, store.Calls.Count(c => c == "ListIndexes users"));
    }

    [Fact]
    public async Task DeferredApplier_ensures_the_steps_left_without_a_target_and_clears_them_from_history()
    {
        var store = new InMemoryDocumentStore();
        var migration = Migration("0004_audit", SeedPhase.Pre, "sha256:a",
            Create("settings", Doc("audit")), SeedStep.Topic(5, new TopicSpec("audit-events")));
        await new SeedRunner(store).RunAsync(Service(migration), RunRequest.PreDeploy());
        var historyPath = DocumentPath.Create("seeding_history", "tenant:pre:0004_audit");
        var history = (await store.GetAllAsync([historyPath]))[0];
        var status = MigrationHistory.StatusOf(migration, history);
        Assert.Equal([ResourceTarget.PubSub], status.ResourcesWithoutTarget);
        var pubSub = new RecordingPubSub();
        var options = new SeedRunnerOptions { PubSub = pubSub };
        var run = Run(store, RunRequest.PreDeploy(), options, new Dictionary<DocumentPath, DocumentSnapshot> { [historyPath] = history });

        SeedReport report;
        try
        {
            report = await new DeferredApplier(new ResourceApplier(store, options, NullLogger.Instance), NullLogger.Instance)
                .FinishAsync(run, status, Stopwatch.StartNew(), new SeedAttempt(migration));
        }
        finally
        {
            await run.Lease!.DisposeAsync();
        }

        Assert.Equal(SeedOutcome.AlreadyApplied, report.Outcome);
        Assert.Equal(["Topic audit-events:Create"], report.Resources.Select(r => $"{r.Kind} {r.Name}:{r.Action}"));
        Assert.True(pubSub.Topics.ContainsKey("audit-events"));
        Assert.Empty(MigrationHistory.StatusOf(migration, (await store.GetAllAsync([historyPath]))[0]).ResourcesWithoutTarget);
    }

    [Fact]
    public async Task MigrationReverter_deletes_what_the_migration_created_and_makes_it_pending_again()
    {
        var store = new InMemoryDocumentStore();
        var migration = Migration("0001_roles", SeedPhase.Pre, "sha256:r", Create("roles", Doc("admin"), Doc("user")));
        await new SeedRunner(store).RunAsync(Service(migration), RunRequest.PreDeploy());
        var reverter = new MigrationReverter(store, new SeedRunnerOptions());

        var planned = await reverter.RevertAsync(Service(migration), "0001_roles", dryRun: true, CancellationToken.None);
        var reverted = await reverter.RevertAsync(Service(migration), "0001_roles", dryRun: false, CancellationToken.None);

        Assert.Equal(["roles/admin", "roles/user"], planned.Deleted.Select(p => p.ToString()));
        Assert.Equal(planned.Deleted, reverted.Deleted);
        Assert.False((await store.GetAllAsync([DocumentPath.Create("roles", "admin")]))[0].Exists);
        Assert.Equal(MigrationState.Pending, (await new SeedRunner(store).GetStatusAsync(Service(migration))).Single().State);
    }

    [Fact]
    public async Task LeaseLock_release_gives_up_in_bounded_time_when_the_store_never_answers_and_the_run_still_ends()
    {
        var store = new HangingReleaseStore(new InMemoryDocumentStore());
        var options = new SeedRunnerOptions { LockReleaseTimeout = TimeSpan.FromMilliseconds(300) };
        var lease = await LeaseLock.AcquireAsync(store, "tenant", [], options, CancellationToken.None);
        store.Hang = true;

        var clock = Stopwatch.StartNew();
        await lease.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

        // A whole run: the migration is applied and recorded, and RunAsync returns although the release hangs.
        var other = new HangingReleaseStore(new InMemoryDocumentStore()) { HangOnRelease = true };
        var migration = Migration("0001_roles", SeedPhase.Pre, "sha256:r", Create("roles", Doc("admin")));
        clock.Restart();
        var report = await new SeedRunner(other, options: options).RunAsync(Service(migration), RunRequest.PreDeploy()).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SeedOutcome.Applied, report.Seeds.Single().Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the run took {clock.Elapsed}");
        Assert.Equal(MigrationState.Applied, (await new SeedRunner(other).GetStatusAsync(Service(migration))).Single().State);
    }

    /// <summary>Writes three documents and lands them, then runs <paramref name="then"/> (throws, or cancels the run).</summary>
    private sealed class WritesThree(Action then) : IMigration
    {
        public async Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken)
        {
            for (var i = 1; i <= 3; i++)
            {
                await context.WriteAsync(DocumentWrite.Create(DocumentPath.Create("items", $"i{i}"), new Dictionary<string, Value>()), PlanAction.Create, cancellationToken: cancellationToken);
            }

            await context.FlushAsync(cancellationToken);
            then();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static SeedDefinition Items(IMigration code) =>
        SeedDefinition.FromCode("0001_items", SeedPhase.Pre, "sha256:items", "Migrations/Pre/0001_items.cs", null, code);

    [Fact]
    public async Task A_cancel_reports_the_interrupted_file_like_a_failure_and_it_stays_pending()
    {
        var store = new InMemoryDocumentStore();
        using var cancel = new CancellationTokenSource();
        var roles = Migration("0000_roles", SeedPhase.Pre, "sha256:r", Create("roles", Doc("admin")));
        var service = Service(roles, Items(new WritesThree(cancel.Cancel)));

        var cancelled = await Assert.ThrowsAsync<SeedRunCanceledException>(() => new SeedRunner(store).RunAsync(service, RunRequest.PreDeploy(), cancel.Token));

        Assert.Equal(["pre/0000_roles:Applied", "pre/0001_items:Cancelled"], cancelled.Report.Seeds.Select(s => $"{s.Seed}:{s.Outcome}"));
        var cut = cancelled.Report.Cancelled!;
        Assert.Equal((3, "code"), (cut.Created, cut.Failure!.Step));
        Assert.Contains("the interrupted file had written 3 document(s), which stay", cancelled.Message);
        Assert.Contains("stays pending", cancelled.Message);
        Assert.Equal(cancel.Token, cancelled.CancellationToken);
        Assert.Equal([MigrationState.Applied, MigrationState.Pending], (await new SeedRunner(store).GetStatusAsync(service)).Select(s => s.State));
    }

    [Fact]
    public async Task History_names_its_counts_for_the_attempt_that_recorded_the_migration()
    {
        var store = new InMemoryDocumentStore();
        await Assert.ThrowsAsync<SeedRunException>(() =>
            new SeedRunner(store).RunAsync(Service(Items(new WritesThree(() => throw new InvalidOperationException("source unreachable")))), RunRequest.PreDeploy()));

        var again = Migration("0001_items", SeedPhase.Pre, "sha256:items", Create("items", Doc("i1"), Doc("i2"), Doc("i3"), Doc("i4")));
        await new SeedRunner(store).RunAsync(Service(again), RunRequest.PreDeploy());

        var history = (await store.GetAllAsync([DocumentPath.Create("seeding_history", "tenant:pre:0001_items")]))[0].Fields;
        Assert.Equal((1, 3, 0), (history["last_attempt_created"].AsInteger(), history["last_attempt_skipped"].AsInteger(), history["last_attempt_updated"].AsInteger()));
        Assert.True(history.ContainsKey("interrupted_attempt_started_at"));
        Assert.False(history.ContainsKey("created"));
    }

    /// <summary>A store whose lock-document commits never answer (and ignore cancellation) once told to hang.</summary>
    private sealed class HangingReleaseStore(InMemoryDocumentStore inner) : IDocumentStore
    {
        public bool Hang { get; set; }

        /// <summary>Hang only on a release (a commit that empties the lock's owner).</summary>
        public bool HangOnRelease { get; set; }

        public string Name => inner.Name;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) => inner.GetAllAsync(paths, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) => inner.WriteBatchAsync(writes, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            var release = writes.Any(w => w.Fields.TryGetValue("released_by", out _));
            return Hang || (HangOnRelease && release) ? new TaskCompletionSource<IReadOnlyList<WriteOutcome>>().Task : inner.CommitAsync(writes, cancellationToken);
        }

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
    }
}
