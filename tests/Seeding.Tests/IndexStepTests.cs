using Seeding.Definitions;
using Seeding.Resources;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

public class IndexStepTests
{
    private static readonly IndexSpec UsersByTenantEmail = new("users", IndexScope.Collection,
        [new IndexField("tenant_id", IndexOrder.Ascending), new IndexField("email", IndexOrder.Ascending)]);

    private static readonly IndexSpec UsersByTenantCreated = new("users", IndexScope.Collection,
        [new IndexField("tenant_id", IndexOrder.Ascending), new IndexField("created_at", IndexOrder.Descending)]);

    private static readonly IndexSpec OrdersByUser = new("orders", IndexScope.CollectionGroup,
        [new IndexField("user_id", IndexOrder.Ascending), new IndexField("tags", IndexOrder.Contains)]);

    private static readonly FieldOverrideSpec SessionsTtl = new("sessions", "expires_at") { Ttl = true, Indexes = [] };

    private static SeedDefinition UserIndexes => Migration("0003_user_indexes", SeedPhase.Pre, "sha256:indexes",
        SeedStep.Index(4, UsersByTenantEmail),
        SeedStep.Index(9, UsersByTenantCreated),
        SeedStep.Index(14, OrdersByUser),
        SeedStep.FieldOverride(19, SessionsTtl));

    [Fact]
    public async Task A_store_that_manages_no_indexes_reports_every_index_step_with_its_name()
    {
        var store = new InMemoryDocumentStore();

        var report = await new SeedRunner(store).RunAsync(Service(UserIndexes), RunRequest.PreDeploy());

        Assert.Equal(SeedOutcome.Applied, report.Seeds.Single().Outcome);
        Assert.Equal(
            ["Index users (tenant_id ascending, email ascending):NoTarget:4", "Index users (tenant_id ascending, created_at descending):NoTarget:9",
             "Index orders (user_id ascending, tags contains) collection group:NoTarget:14", "FieldOverride sessions.expires_at:NoTarget:19"],
            report.Resources.Select(r => $"{r.Kind} {r.Name}:{r.Action}:{r.Line}"));
        Assert.All(report.Resources, r => Assert.Equal("the in-memory store has no Firestore indexes to manage", r.Note));
        Assert.Empty((await new SeedRunner(store).GetStatusAsync(Service(UserIndexes))).Single().ResourcesWithoutTarget); // the store never gains an index API
    }

    [Fact]
    public async Task A_store_whose_index_api_is_unavailable_reports_its_reason_and_is_never_called()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore()) { IndexesUnavailableReason = "the Firestore emulator has no index API" };

        var report = await store.Runner().RunAsync(Service(UserIndexes), RunRequest.PreDeploy());

        Assert.All(report.Resources, r => Assert.Equal(ResourceAction.NoTarget, r.Action));
        Assert.All(report.Resources, r => Assert.StartsWith("the Firestore emulator has no index API", r.Note, StringComparison.Ordinal));
        Assert.Empty(store.Calls);
    }

    [Fact]
    public async Task Absent_indexes_start_building_with_one_list_per_collection_group_and_the_next_run_finds_the_migration_applied()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        var runner = store.Runner();

        var first = await runner.RunAsync(Service(UserIndexes), RunRequest.PreDeploy());
        var calls = store.Calls.Count;
        var second = await runner.RunAsync(Service(UserIndexes), RunRequest.PreDeploy());

        Assert.Equal(1, store.Calls.Count(c => c == "ListIndexes users"));
        Assert.Equal(1, store.Calls.Count(c => c == "ListIndexes orders"));
        Assert.Equal(3, store.Calls.Count(c => c.StartsWith("CreateIndex", StringComparison.Ordinal)));
        Assert.DoesNotContain(store.Calls, c => c.StartsWith("Wait", StringComparison.Ordinal));
        Assert.All(first.Resources, r => Assert.Equal(ResourceAction.Building, r.Action));
        Assert.Equal(4, first.ResourceCount(ResourceAction.Building));
        var building = first.Resources.First();
        Assert.Contains("projects/p/databases/(default)/operations/op-1", building.Note, StringComparison.Ordinal);
        Assert.Contains("queries that need it fail until it is built; --wait-for-indexes waits", building.Note, StringComparison.Ordinal);
        Assert.Equal(SeedOutcome.Applied, first.Seeds.Single().Outcome);
        Assert.Equal(SeedOutcome.AlreadyApplied, second.Seeds.Single().Outcome);
        Assert.Equal(calls, store.Calls.Count);
    }

    [Fact]
    public async Task Waiting_for_indexes_reports_them_created_once_built()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());

        var report = await store.Runner().RunAsync(Service(UserIndexes), RunRequest.PreDeploy() with { WaitForIndexes = true });

        Assert.Equal(
            [ResourceAction.Create, ResourceAction.Create, ResourceAction.Create, ResourceAction.Update],
            report.Resources.Select(r => r.Action));
        Assert.Equal(4, store.Calls.Count(c => c.StartsWith("Wait", StringComparison.Ordinal)));
        Assert.All(store.Indexes, i => Assert.Equal(IndexBuildState.Ready, i.State));
        Assert.Equal(SessionsTtl, store.Fields["sessions.expires_at"]);
    }

    [Fact]
    public async Task A_build_that_fails_while_waiting_fails_the_seed_at_the_step_and_the_migration_stays_pending()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore()) { FailBuilds = "index build failed: too many index entries" };
        var seed = Migration("0003_user_indexes", SeedPhase.Pre, "sha256:fail",
            Create("settings", Doc("indexes", ("v", Value.Integer(1)))),
            SeedStep.Index(7, UsersByTenantEmail));
        var runner = store.Runner();

        var failure = await Assert.ThrowsAsync<SeedRunException>(() => runner.RunAsync(Service(seed), RunRequest.PreDeploy() with { WaitForIndexes = true }));

        var failed = failure.Report.Failed!;
        Assert.Equal(SeedOutcome.Failed, failed.Outcome);
        Assert.Equal("index users", failed.Failure!.Step);
        Assert.Equal(7, failed.Failure.Line);
        Assert.IsType<IndexOperationFailedException>(failed.Failure.Exception);
        Assert.Equal(1, failed.Created);
        Assert.Equal(MigrationState.Pending, (await runner.GetStatusAsync(Service(seed))).Single().State);

        Assert.Equal(IndexBuildState.NeedsRepair, store.Indexes.Single().State);

        // The next run finds the index Firestore left in NEEDS_REPAIR: it fails at the step again, never recording the
        // migration over a broken index, and says what to do.
        store.FailBuilds = null;
        var again = await Assert.ThrowsAsync<SeedRunException>(() => runner.RunAsync(Service(seed), RunRequest.PreDeploy() with { WaitForIndexes = true }));
        Assert.Equal((7, "index users"), (again.Failed.Failure!.Line, again.Failed.Failure.Step));
        Assert.Contains("gcloud firestore indexes composite delete", again.Message, StringComparison.Ordinal);
        Assert.Equal(MigrationState.Pending, (await runner.GetStatusAsync(Service(seed))).Single().State);

        // Once the broken index is deleted, the next run creates it anew and records the migration.
        store.Indexes.Clear();
        var retry = await runner.RunAsync(Service(seed), RunRequest.PreDeploy() with { WaitForIndexes = true });
        Assert.Equal(SeedOutcome.Applied, retry.Seeds.Single().Outcome);
        Assert.Equal(ResourceAction.Create, retry.Resources.Single().Action);
        Assert.Equal(IndexBuildState.Ready, store.Indexes.Single().State);
    }

    [Fact]
    public async Task An_index_whose_build_failed_fails_the_step_with_what_to_do_and_the_migration_stays_pending()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        store.Indexes.Add(new IndexState(OrdersByUser, IndexBuildState.NeedsRepair));
        var logger = new CollectingLogger();
        var runner = store.Runner(logger: logger);

        var failure = await Assert.ThrowsAsync<SeedRunException>(() => runner.RunAsync(Service(UserIndexes), RunRequest.PreDeploy()));

        Assert.Equal((14, "index orders"), (failure.Failed.Failure!.Line, failure.Failed.Failure.Step));
        var message = failure.Failed.Failure.Message;
        Assert.Contains("orders (user_id ascending, tags contains) collection group", message, StringComparison.Ordinal);
        Assert.Contains("build failed (NEEDS_REPAIR)", message, StringComparison.Ordinal);
        Assert.Contains("Firebase or Google Cloud console", message, StringComparison.Ordinal);
        Assert.Contains("gcloud firestore indexes composite delete", message, StringComparison.Ordinal);
        Assert.Contains("run again", message, StringComparison.Ordinal);
        Assert.Equal(MigrationState.Pending, (await runner.GetStatusAsync(Service(UserIndexes))).Single().State);
        Assert.DoesNotContain(store.Calls, c => c.StartsWith($"CreateIndex {OrdersByUser}", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("NEEDS_REPAIR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Waiting_for_indexes_waits_for_one_another_runner_is_building_and_reports_it_only_once_ready()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        store.Indexes.Add(new IndexState(UsersByTenantEmail, IndexBuildState.Creating));
        store.BuiltAfterLists[UsersByTenantEmail.ToString()] = 3;
        var time = new FastTime();
        var seed = Migration("0003_user_indexes", SeedPhase.Pre, "sha256:one", SeedStep.Index(4, UsersByTenantEmail));

        var report = await store.Runner(WaitingOptions(time)).RunAsync(Service(seed), RunRequest.PreDeploy() with { WaitForIndexes = true });

        Assert.Equal(ResourceAction.SkipExists, report.Resources.Single().Action);
        Assert.Equal(IndexBuildState.Ready, store.Indexes.Single().State);
        Assert.Equal(3, store.Calls.Count(c => c == "ListIndexes users"));
        Assert.DoesNotContain(store.Calls, c => c.StartsWith("CreateIndex", StringComparison.Ordinal));
        // The polls back off on the runner's clock: 1 s, then 2 s.
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.Delays.Where(d => d < TimeSpan.FromMinutes(1)));
        Assert.Equal(SeedOutcome.Applied, report.Seeds.Single().Outcome);
    }

    [Fact]
    public async Task Already_exists_on_create_is_looked_up_and_waited_for_until_ready()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        store.CreatedMeanwhile.Add(new IndexState(UsersByTenantEmail, IndexBuildState.Creating));
        store.BuiltAfterLists[UsersByTenantEmail.ToString()] = 2;
        var seed = Migration("0003_user_indexes", SeedPhase.Pre, "sha256:one", SeedStep.Index(4, UsersByTenantEmail));

        var report = await store.Runner(WaitingOptions(new FastTime())).RunAsync(Service(seed), RunRequest.PreDeploy() with { WaitForIndexes = true });

        var resource = report.Resources.Single();
        Assert.Equal(ResourceAction.SkipExists, resource.Action);
        Assert.Equal("already existed (created by another runner, or by an earlier attempt of this call)", resource.Note);
        Assert.Equal(IndexBuildState.Ready, store.Indexes.Single().State);
        Assert.Equal(["ListIndexes users", $"CreateIndex {UsersByTenantEmail}", "ListIndexes users", "ListIndexes users"], store.Calls);
    }

    [Fact]
    public async Task Already_exists_on_create_without_waiting_reports_the_index_as_building_while_it_builds()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        store.CreatedMeanwhile.Add(new IndexState(UsersByTenantEmail, IndexBuildState.Creating));
        var seed = Migration("0003_user_indexes", SeedPhase.Pre, "sha256:one", SeedStep.Index(4, UsersByTenantEmail));

        var report = await store.Runner().RunAsync(Service(seed), RunRequest.PreDeploy());

        var resource = report.Resources.Single();
        Assert.Equal(ResourceAction.Building, resource.Action);
        Assert.StartsWith("already existed (created by another runner, or by an earlier attempt of this call) and is still building", resource.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_for_an_index_stops_when_the_run_is_cancelled()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        store.Indexes.Add(new IndexState(UsersByTenantEmail, IndexBuildState.Creating));
        using var cancel = new CancellationTokenSource();
        store.OnList = () =>
        {
            if (store.Calls.Count(c => c == "ListIndexes users") == 3)
            {
                cancel.Cancel();
            }
        };
        var seed = Migration("0003_user_indexes", SeedPhase.Pre, "sha256:one", SeedStep.Index(4, UsersByTenantEmail));
        var runner = store.Runner(WaitingOptions(new FastTime()));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(Service(seed), RunRequest.PreDeploy() with { WaitForIndexes = true }, cancel.Token));

        Assert.Equal(3, store.Calls.Count(c => c == "ListIndexes users"));
        Assert.Equal(MigrationState.Pending, (await runner.GetStatusAsync(Service(seed))).Single().State);
    }

    [Fact]
    public async Task A_dry_run_waiting_for_indexes_plans_an_index_being_built_as_existing_without_waiting()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        store.Indexes.Add(new IndexState(UsersByTenantEmail, IndexBuildState.Creating));
        var time = new FastTime();
        var seed = Migration("0003_user_indexes", SeedPhase.Pre, "sha256:one", SeedStep.Index(4, UsersByTenantEmail));

        var report = await store.Runner(WaitingOptions(time)).RunAsync(Service(seed), RunRequest.PreDeploy(dryRun: true) with { WaitForIndexes = true });

        var resource = report.Resources.Single();
        Assert.Equal((ResourceAction.SkipExists, "still building: the run waits until it is built"), (resource.Action, resource.Note));
        Assert.Equal(["ListIndexes users"], store.Calls);
        Assert.DoesNotContain(time.Delays, d => d < TimeSpan.FromMinutes(1));
    }

    // A lease far longer than any test, so the only timers under a minute are the index polls.
    private static SeedRunnerOptions WaitingOptions(TimeProvider time) => new() { Time = time, LockTtl = TimeSpan.FromHours(1) };

    [Fact]
    public async Task Existing_indexes_are_reported_by_their_build_state()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        store.Indexes.Add(new IndexState(UsersByTenantEmail, IndexBuildState.Ready));
        store.Indexes.Add(new IndexState(UsersByTenantCreated, IndexBuildState.Creating));
        store.Indexes.Add(new IndexState(OrdersByUser, IndexBuildState.Ready));

        var report = await store.Runner().RunAsync(Service(UserIndexes), RunRequest.PreDeploy());

        var resources = report.Resources.ToArray();
        var (ready, creating) = (resources[0], resources[1]);
        Assert.Equal((ResourceAction.SkipExists, null), (ready.Action, ready.Note));
        Assert.Equal(ResourceAction.Building, creating.Action);
        Assert.StartsWith("still building", creating.Note, StringComparison.Ordinal);
        Assert.DoesNotContain(store.Calls, c => c.StartsWith("CreateIndex", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_field_override_already_held_is_left_alone_and_one_not_held_is_changed()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        store.Fields["sessions.expires_at"] = SessionsTtl;
        var emailOnlyAscending = new FieldOverrideSpec("users", "email") { Indexes = [new FieldIndex(IndexOrder.Ascending, IndexScope.Collection)] };
        var seed = Migration("0004_fields", SeedPhase.Pre, "sha256:fields",
            SeedStep.FieldOverride(3, SessionsTtl),
            SeedStep.FieldOverride(8, emailOnlyAscending));

        var report = await store.Runner().RunAsync(Service(seed), RunRequest.PreDeploy());

        var resources = report.Resources.ToArray();
        Assert.Equal(ResourceAction.SkipUnchanged, resources[0].Action);
        Assert.Equal(ResourceAction.Building, resources[1].Action);
        Assert.Contains("op-1", resources[1].Note, StringComparison.Ordinal);
        Assert.Equal(["GetField sessions.expires_at", "GetField users.email", "UpdateField users.email"], store.Calls);
    }

    [Fact]
    public async Task A_dry_run_only_lists_and_reads_and_plans_what_the_real_run_then_does()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        store.Indexes.Add(new IndexState(UsersByTenantCreated, IndexBuildState.Ready));
        var runner = store.Runner();

        var dryRun = await runner.RunAsync(Service(UserIndexes), RunRequest.PreDeploy(dryRun: true) with { WaitForIndexes = true });
        var dryCalls = store.Calls.ToArray();
        var real = await runner.RunAsync(Service(UserIndexes), RunRequest.PreDeploy() with { WaitForIndexes = true });

        Assert.All(dryCalls, c => Assert.True(c.StartsWith("ListIndexes", StringComparison.Ordinal) || c.StartsWith("GetField", StringComparison.Ordinal), c));
        Assert.Equal([ResourceAction.Create, ResourceAction.SkipExists, ResourceAction.Create, ResourceAction.Update], dryRun.Resources.Select(r => r.Action));
        Assert.Equal(dryRun.Resources.Select(r => (r.Kind, r.Name, r.Action, r.Line, r.Note)), real.Resources.Select(r => (r.Kind, r.Name, r.Action, r.Line, r.Note)));
        Assert.Equal(MigrationState.Applied, (await runner.GetStatusAsync(Service(UserIndexes))).Single().State);
    }

    [Fact]
    public async Task Index_steps_in_several_files_share_one_list_per_collection_group_and_see_what_earlier_files_started()
    {
        var store = new IndexManagingStore(new InMemoryDocumentStore());
        var later = Migration("0004_more_user_indexes", SeedPhase.Pre, "sha256:more", SeedStep.Index(3, UsersByTenantEmail));

        var report = await store.Runner().RunAsync(Service(UserIndexes, later), RunRequest.PreDeploy());

        Assert.Equal(1, store.Calls.Count(c => c == "ListIndexes users"));
        Assert.Equal(1, store.Calls.Count(c => c == $"CreateIndex {UsersByTenantEmail}"));
        var again = report.Seeds[1].Resources.Single();
        Assert.Equal(ResourceAction.Building, again.Action);
        Assert.StartsWith("still building", again.Note, StringComparison.Ordinal);
    }
}
