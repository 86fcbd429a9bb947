extern alias fake;
using Seeding.Definitions;
using fake::Seeding.Firestore.TestSupport;
using Seeding.Resources;
using Seeding.Running;
using Seeding.TestSupport;
using Admin = fake::Seeding.Firestore.Protocol.Admin;

namespace Seeding.Firestore.Tests;

/// <summary>
/// SeedRunner applying a pre-deploy migration of index steps through a <see cref="FirestoreDocumentStore"/> whose
/// documents (history, lease) live on Google's Firestore emulator and whose Admin API calls go, through
/// <see cref="FirestoreStoreOptions.AdminEndpoint"/>, to the in-process fake (the emulator has no index API). Nothing
/// stands in for the document store: only the Admin service, which has no emulator, is faked.
/// </summary>
public sealed class IndexRunnerTests
{
    private const string IndexName = "users (tenant_id ascending, email ascending)";

    private static readonly IndexSpec UsersByTenantAndEmail = new(
        "users", IndexScope.Collection, [new IndexField("tenant_id", IndexOrder.Ascending), new IndexField("email", IndexOrder.Ascending)]);

    /// <summary>Like the user sample's 0003_user_indexes, as the generator emits it.</summary>
    private static ServiceSeeds UserIndexes() => new("user", [], [new SeedDefinition(
        "0003_user_indexes",
        SeedPhase.Pre,
        "sha256:user-indexes",
        "migrations/pre/0003_user_indexes.yaml",
        "users by tenant and email",
        [SeedStep.Index(4, UsersByTenantAndEmail)])]);

    [Fact]
    public async Task An_absent_index_is_started_and_reported_as_building_without_waiting()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = await NewStoreAsync(fake);
        fake.State.PollsUntilDone = 1_000;

        var report = await Runners.For(store).RunAsync(UserIndexes(), RunRequest.PreDeploy());

        var seed = Assert.Single(report.Seeds);
        Assert.Equal(SeedOutcome.Applied, seed.Outcome);
        var index = Assert.Single(report.Resources);
        Assert.Equal((ResourceKind.Index, IndexName, ResourceAction.Building, 4), (index.Kind, index.Name, index.Action, index.Line));
        Assert.Contains(Assert.Single(fake.State.Operations.Keys), index.Note, StringComparison.Ordinal);
        Assert.Equal(Admin.Index.Types.State.Creating, Assert.Single(fake.State.Indexes.Values).State);
        Assert.DoesNotContain(fake.State.Calls, c => c.Method == "GetOperation");

        // Recorded in history on the emulator: the next run does not touch the Admin API.
        var calls = fake.State.Calls.Count;
        var again = await Runners.For(store).RunAsync(UserIndexes(), RunRequest.PreDeploy());
        Assert.Equal(SeedOutcome.AlreadyApplied, Assert.Single(again.Seeds).Outcome);
        Assert.Equal(calls, fake.State.Calls.Count);
    }

    [Fact]
    public async Task With_WaitForIndexes_the_run_waits_for_the_build_and_reports_it_created()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = await NewStoreAsync(fake);
        fake.State.PollsUntilDone = 3;

        var report = await Runners.For(store).RunAsync(UserIndexes(), RunRequest.PreDeploy() with { WaitForIndexes = true });

        Assert.Equal(SeedOutcome.Applied, Assert.Single(report.Seeds).Outcome);
        Assert.Equal(ResourceAction.Create, Assert.Single(report.Resources).Action);
        Assert.Equal(Admin.Index.Types.State.Ready, Assert.Single(fake.State.Indexes.Values).State);
        Assert.Equal(3, Assert.Single(fake.State.Operations.Values).Polls);
    }

    [Fact]
    public async Task An_existing_index_is_left_alone()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = await NewStoreAsync(fake);
        IndexAdminTests.Seed(fake, $"projects/{store.DatabaseName.Split('/')[1]}/databases/(default)/collectionGroups/users",
            Admin.Index.Types.QueryScope.Collection, Admin.Index.Types.State.Ready, IndexAdminTests.Asc("tenant_id"), IndexAdminTests.Asc("email"));

        var report = await Runners.For(store).RunAsync(UserIndexes(), RunRequest.PreDeploy() with { WaitForIndexes = true });

        Assert.Equal(ResourceAction.SkipExists, Assert.Single(report.Resources).Action);
        Assert.DoesNotContain(fake.State.Calls, c => c.Method == "CreateIndex");
    }

    [Fact]
    public async Task An_index_on_field_names_that_need_quoting_is_created_once_and_found_existing_by_a_later_file()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = await NewStoreAsync(fake);
        var byTenant = new IndexSpec("users", IndexScope.Collection, [new IndexField("tenant-id", IndexOrder.Ascending), new IndexField("e-mail", IndexOrder.Ascending)]);
        ServiceSeeds Users(params string[] ids) => new("user", [], ids.Select(id => new SeedDefinition(
            id, SeedPhase.Pre, $"sha256:{id}", $"migrations/pre/{id}.yaml", "users by tenant", [SeedStep.Index(3, byTenant)])).ToArray());

        var first = await Runners.For(store).RunAsync(Users("0003_user_indexes"), RunRequest.PreDeploy() with { WaitForIndexes = true });
        var second = await Runners.For(store).RunAsync(Users("0003_user_indexes", "0004_same_index"), RunRequest.PreDeploy() with { WaitForIndexes = true });

        Assert.Equal(ResourceAction.Create, Assert.Single(first.Resources).Action);
        Assert.Equal([SeedOutcome.AlreadyApplied, SeedOutcome.Applied], second.Seeds.Select(s => s.Outcome));
        var again = Assert.Single(second.Resources);
        Assert.Equal((ResourceAction.SkipExists, null), (again.Action, again.Note));
        Assert.Equal(1, fake.State.Calls.Count(c => c.Method == "CreateIndex"));
        Assert.Equal(["`tenant-id`", "`e-mail`", "__name__"], Assert.Single(fake.State.Indexes.Values).Fields.Select(f => f.FieldPath));
    }

    [Fact]
    public async Task A_failed_build_fails_the_run_and_the_migration_stays_pending()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = await NewStoreAsync(fake);
        fake.State.FailNextOperation = new Google.Rpc.Status { Code = (int)Grpc.Core.StatusCode.FailedPrecondition, Message = "index build failed: too many index entries" };

        var failure = await Assert.ThrowsAsync<SeedRunException>(() => Runners.For(store).RunAsync(UserIndexes(), RunRequest.PreDeploy() with { WaitForIndexes = true }));

        var failed = failure.Report.Failed;
        Assert.NotNull(failed);
        Assert.Equal("0003_user_indexes", failed.Seed.Id);
        var cause = Assert.IsType<IndexOperationFailedException>(failed.Failure!.Exception);
        Assert.Contains("too many index entries", cause.Message, StringComparison.Ordinal);

        // Firestore leaves the index in NEEDS_REPAIR: the next run fails at it again (the migration is never recorded
        // over a broken index) and says how to get rid of it.
        Assert.Equal(Admin.Index.Types.State.NeedsRepair, Assert.Single(fake.State.Indexes.Values).State);
        var again = await Assert.ThrowsAsync<SeedRunException>(() => Runners.For(store).RunAsync(UserIndexes(), RunRequest.PreDeploy()));
        Assert.Contains("NEEDS_REPAIR", again.Message, StringComparison.Ordinal);
        Assert.Contains("gcloud firestore indexes composite delete", again.Message, StringComparison.Ordinal);
        Assert.Single(fake.State.Indexes);

        // Still pending: once the broken index is gone (deleted, as the message says), the next run creates it again.
        lock (fake.State.Gate)
        {
            fake.State.Indexes.Clear();
        }

        var retry = await Runners.For(store).RunAsync(UserIndexes(), RunRequest.PreDeploy() with { WaitForIndexes = true });
        Assert.Equal(SeedOutcome.Applied, Assert.Single(retry.Seeds).Outcome);
        Assert.Equal(ResourceAction.Create, Assert.Single(retry.Resources).Action);
    }

    [Fact]
    public async Task A_dry_run_plans_the_index_and_creates_nothing()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = await NewStoreAsync(fake);

        var report = await Runners.For(store).RunAsync(UserIndexes(), RunRequest.PreDeploy(dryRun: true));

        Assert.Equal(SeedOutcome.Planned, Assert.Single(report.Seeds).Outcome);
        Assert.Equal(ResourceAction.Create, Assert.Single(report.Resources).Action);
        Assert.Empty(fake.State.Indexes);
        Assert.DoesNotContain(fake.State.Calls, c => c.Method is "CreateIndex" or "UpdateField");
    }

    [Fact]
    public async Task A_field_override_is_updated_under_its_mask_and_a_later_file_declaring_the_same_finds_it_held()
    {
        await using var fake = await FakeFirestoreAdmin.StartAsync();
        await using var store = await NewStoreAsync(fake);
        var ttl = new FieldOverrideSpec("sessions", "expires_at") { Ttl = true };
        ServiceSeeds Sessions(params string[] ids) => new("user", [], ids.Select(id => new SeedDefinition(
            id, SeedPhase.Pre, $"sha256:{id}", $"migrations/pre/{id}.yaml", "sessions expire", [SeedStep.FieldOverride(3, ttl)])).ToArray());

        var first = await Runners.For(store).RunAsync(Sessions("0004_session_ttl"), RunRequest.PreDeploy() with { WaitForIndexes = true });

        var field = Assert.Single(first.Resources);
        Assert.Equal((ResourceKind.FieldOverride, "sessions.expires_at", ResourceAction.Update), (field.Kind, field.Name, field.Action));
        Assert.Equal(["ttl_config"], Assert.Single(fake.State.FieldUpdates).UpdateMask.Paths);

        var second = await Runners.For(store).RunAsync(Sessions("0004_session_ttl", "0005_session_ttl_again"), RunRequest.PreDeploy() with { WaitForIndexes = true });

        Assert.Equal([SeedOutcome.AlreadyApplied, SeedOutcome.Applied], second.Seeds.Select(s => s.Outcome));
        Assert.Equal(ResourceAction.SkipUnchanged, Assert.Single(second.Resources).Action);
        Assert.Single(fake.State.FieldUpdates);
    }

    [Fact]
    public async Task On_the_emulator_alone_index_steps_are_skipped_with_the_reason()
    {
        await using var store = new FirestoreDocumentStore(await FirestoreEmulator.OptionsAsync());

        var report = await Runners.For(store).RunAsync(UserIndexes(), RunRequest.PreDeploy());

        var index = Assert.Single(report.Resources);
        Assert.Equal(ResourceAction.NoTarget, index.Action);
        Assert.Contains("the Firestore emulator has no index API", index.Note, StringComparison.Ordinal);
    }

    private static async Task<FirestoreDocumentStore> NewStoreAsync(FakeFirestoreAdmin fake)
    {
        var options = await FirestoreEmulator.OptionsAsync();
        options.AdminEndpoint = fake.Endpoint;
        return new FirestoreDocumentStore(options);
    }
}
