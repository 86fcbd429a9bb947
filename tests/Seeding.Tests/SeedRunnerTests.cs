using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

public class SeedRunnerTests
{
    private static readonly SeedDefinition Roles = Migration("0001_initial_roles", SeedPhase.Pre, "sha256:roles",
        Create("roles",
            Doc("platform-admin", ("name", Value.String("Platform Admin")), ("level", Value.Integer(0)), ("created_at", Value.ServerTimestamp)),
            Doc("user", ("name", Value.String("User")), ("level", Value.Integer(10)))));

    private static readonly SeedDefinition Settings = Migration("0002_default_settings", SeedPhase.Pre, "sha256:settings",
        Create("settings", Doc("default", ("session_ttl_days", Value.Integer(30)))),
        Upsert("config", Doc("app", ("feature_enabled", Value.Boolean(true)), ("updated_at", Value.ServerTimestamp))));

    private static readonly SeedDefinition Backfill = Migration("0001_backfill", SeedPhase.Post, "sha256:post",
        Create("resources", Doc("r1", ("name", Value.String("one")))));

    [Fact]
    public async Task First_run_creates_everything_and_records_history()
    {
        var store = new InMemoryDocumentStore();
        var report = await new SeedRunner(store).RunAsync(Service(Roles, Settings), RunRequest.PreDeploy());

        Assert.Equal(4, report.Created);
        Assert.All(report.Seeds, s => Assert.Equal(SeedOutcome.Applied, s.Outcome));
        var admin = (await store.GetAllAsync([DocumentPath.Parse("roles/platform-admin")]))[0];
        Assert.Equal("Platform Admin", admin.Fields["name"].AsString());
        Assert.False(admin.Fields["created_at"].AsTimestamp().IsServerTime);
        var history = await new SeedRunner(store).GetStatusAsync(Service(Roles, Settings));
        Assert.All(history, h => Assert.Equal(MigrationState.Applied, h.State));
    }

    [Fact]
    public async Task Second_run_creates_nothing_and_costs_one_read()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Roles, Settings, Bootstrap("admin", Create("users", Doc("admin", ("email", Value.String("a@b.c"))))));
        await new SeedRunner(store).RunAsync(service, RunRequest.All());
        var (reads, writes, queries) = (store.ReadCalls, store.WriteCalls, store.QueryCalls);

        var second = await new SeedRunner(store).RunAsync(service, RunRequest.All());

        Assert.Equal(0, second.Created + second.Updated);
        Assert.Equal(1, store.ReadCalls - reads);
        Assert.Equal(0, store.WriteCalls - writes);
        Assert.Equal(0, store.QueryCalls - queries);
        Assert.Equal(SeedOutcome.AlreadyApplied, second.Seeds.Single(s => s.Seed.Id == "0001_initial_roles").Outcome);
        Assert.Equal(PlanAction.SkipExists, second.Seeds.Single(s => s.Seed.Phase == SeedPhase.Bootstrap).Plan.Single().Action);
    }

    [Fact]
    public async Task Dry_run_writes_nothing_not_even_history_and_returns_the_exact_plan()
    {
        var store = new InMemoryDocumentStore();
        await store.WriteBatchAsync([DocumentWrite.Create(DocumentPath.Parse("roles/user"), new Dictionary<string, Value>())]);
        var writesBefore = store.WriteCalls;

        var report = await new SeedRunner(store).RunAsync(Service(Roles, Settings), RunRequest.PreDeploy(dryRun: true));

        Assert.Equal(writesBefore, store.WriteCalls);
        Assert.Equal(1, store.Count);
        Assert.Equal(
            ["roles/platform-admin:Create", "roles/user:SkipExists", "settings/default:Create", "config/app:Create"],
            report.Plan.Select(p => $"{p.Path}:{p.Action}"));
        Assert.All(report.Seeds, s => Assert.Equal(SeedOutcome.Planned, s.Outcome));
    }

    [Fact]
    public async Task Changed_applied_migration_is_refused_naming_the_file_and_nothing_is_written()
    {
        var store = new InMemoryDocumentStore();
        await new SeedRunner(store).RunAsync(Service(Roles), RunRequest.PreDeploy());
        var edited = Migration("0001_initial_roles", SeedPhase.Pre, "sha256:edited", Create("roles", Doc("new-role")));
        var writes = store.WriteCalls;

        var error = await Assert.ThrowsAsync<MigrationDriftException>(() => new SeedRunner(store).RunAsync(Service(edited, Settings), RunRequest.PreDeploy()));

        Assert.Contains("migrations/pre/0001_initial_roles.yaml", error.Message);
        Assert.Contains("new, higher-numbered migration", error.Message);
        Assert.Equal(writes, store.WriteCalls);
        var status = await new SeedRunner(store).GetStatusAsync(Service(edited, Settings));
        Assert.Equal([MigrationState.Drifted, MigrationState.Pending], status.Select(s => s.State));
    }

    [Fact]
    public async Task Phases_run_pre_then_bootstrap_then_post_and_by_number()
    {
        var store = new InMemoryDocumentStore();
        var report = await new SeedRunner(store).RunAsync(
            Service(Backfill, Settings, Bootstrap("admin", Create("users", Doc("a"))), Roles), RunRequest.All());
        Assert.Equal(["pre/0001_initial_roles", "pre/0002_default_settings", "bootstrap/admin", "post/0001_backfill"], report.Seeds.Select(s => s.Seed.ToString()));

        var postOnly = await new SeedRunner(new InMemoryDocumentStore()).RunAsync(Service(Backfill, Roles), RunRequest.PostDeploy() with { AllowPendingPreDeploy = true });
        Assert.Equal(["post/0001_backfill"], postOnly.Seeds.Select(s => s.Seed.ToString()));
    }

    [Fact]
    public async Task First_seeding_writes_in_batches()
    {
        var store = new InMemoryDocumentStore();
        var big = Migration("0001_big", SeedPhase.Pre, "sha256:big", Create("items", Many(1200)));

        var report = await new SeedRunner(store).RunAsync(Service(big), RunRequest.PreDeploy());

        Assert.Equal(1200, report.Created);
        Assert.Equal(3, store.ReadCalls);       // history; the lease; history again + the documents, inside the lease
        Assert.Equal(1 + 3 + 1 + 1, store.WriteCalls); // take the lease, ceil(1200 / 500) batches, history + renewal, release
        Assert.Equal(1200 + 1 + 1, store.Count); // the documents, one history entry, the released lock (it keeps the fencing token)
    }

    [Fact]
    public async Task Bootstrap_is_ensured_every_run_and_never_overwrites()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Bootstrap("admin", Create("users", Doc("admin", ("status", Value.String("active"))))));
        await new SeedRunner(store).RunAsync(service, RunRequest.Bootstrap());
        await store.WriteBatchAsync([DocumentWrite.Set(DocumentPath.Parse("users/admin"), new Dictionary<string, Value> { ["status"] = Value.String("disabled") })]);

        var again = await new SeedRunner(store).RunAsync(service, RunRequest.Bootstrap());

        Assert.Equal(SeedOutcome.Ensured, again.Seeds.Single().Outcome);
        Assert.Equal(1, again.Skipped);
        Assert.Equal("disabled", (await store.GetAllAsync([DocumentPath.Parse("users/admin")]))[0].Fields["status"].AsString());
        Assert.DoesNotContain((await store.QueryAsync(new DocumentQuery(MigrationHistory.Collection, []))), _ => true);
    }

    [Fact]
    public async Task Upsert_merges_declared_fields_keeps_others_and_skips_when_unchanged()
    {
        var store = new InMemoryDocumentStore();
        var path = DocumentPath.Parse("config/app");
        await store.WriteBatchAsync([DocumentWrite.Set(path, new Dictionary<string, Value> { ["feature_enabled"] = Value.Boolean(false), ["owner"] = Value.String("ops") })]);
        var upsert = Bootstrap("config", Upsert("config", Doc("app", ("feature_enabled", Value.Boolean(true)), ("updated_at", Value.ServerTimestamp))));

        var first = await new SeedRunner(store).RunAsync(Service(upsert), RunRequest.Bootstrap());
        var second = await new SeedRunner(store).RunAsync(Service(upsert), RunRequest.Bootstrap());

        Assert.Equal(1, first.Updated);
        Assert.Equal(PlanAction.SkipUnchanged, second.Plan.Single().Action);
        var stored = (await store.GetAllAsync([path]))[0].Fields;
        Assert.True(stored["feature_enabled"].AsBoolean());
        Assert.Equal("ops", stored["owner"].AsString());
    }

    [Fact]
    public async Task A_document_created_concurrently_becomes_a_skip_not_an_overwrite()
    {
        var store = new RacingStore(DocumentPath.Parse("roles/user"));
        var report = await new SeedRunner(store).RunAsync(Service(Roles), RunRequest.PreDeploy());

        Assert.Equal(PlanAction.SkipExists, report.Plan.Single(p => p.Path.Id == "user").Action);
        Assert.Equal(1, report.Created);
        Assert.Equal("racer", (await store.GetAllAsync([DocumentPath.Parse("roles/user")]))[0].Fields["name"].AsString());
    }

    [Fact]
    public async Task Cancellation_stops_the_run()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SeedRunner(new InMemoryDocumentStore()).RunAsync(Service(Roles), RunRequest.PreDeploy(), cts.Token));
    }

    [Fact]
    public async Task Two_runners_at_once_leave_one_history_entry_and_one_copy_of_each_document()
    {
        var store = new InMemoryDocumentStore();
        var service = Service(Roles, Settings);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new SeedRunner(store).RunAsync(service, RunRequest.PreDeploy()))));

        Assert.Equal(2, (await store.QueryAsync(new DocumentQuery(MigrationHistory.Collection, []))).Count);
        Assert.Equal(2, (await store.QueryAsync(new DocumentQuery("roles", []))).Count);
    }

    /// <summary>A store where another writer creates one document between the runner's read and its write.</summary>
    private sealed class RacingStore(DocumentPath raced) : IDocumentStore
    {
        private readonly InMemoryDocumentStore _inner = new();
        private bool _raced;

        public string Name => "racing";

        public int MaxBatchSize => _inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
            _inner.GetAllAsync(paths, cancellationToken);

        public async Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (!_raced)
            {
                _raced = true;
                await _inner.WriteBatchAsync([DocumentWrite.Create(raced, new Dictionary<string, Value> { ["name"] = Value.String("racer") })], cancellationToken);
            }

            return await _inner.WriteBatchAsync(writes, cancellationToken);
        }

        public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            _inner.CommitAsync(writes, cancellationToken);

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
            _inner.QueryAsync(query, cancellationToken);
    }
}
