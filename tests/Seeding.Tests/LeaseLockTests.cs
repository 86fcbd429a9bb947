using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

public class LeaseLockTests
{
    private static readonly ServiceSeeds Service = SeedBuilder.Service(
        Migration("0001_roles", SeedPhase.Pre, "sha256:roles", Create("roles", Doc("admin"), Doc("user"))));

    private static readonly DocumentPath LockPath = DocumentPath.Create("seeding_locks", "tenant");

    private static Dictionary<string, Value> LockFields(string owner, DateTimeOffset expires, long token) => new()
    {
        ["owner"] = Value.String(owner),
        ["token"] = Value.Integer(token),
        ["expires_at"] = Value.Timestamp(expires),
    };

    [Fact]
    public async Task A_lease_left_by_a_dead_runner_is_taken_over_after_expiry_with_a_higher_fencing_token()
    {
        var store = new InMemoryDocumentStore();
        await store.CommitAsync([DocumentWrite.Create(LockPath, LockFields("dead-runner", DateTimeOffset.UtcNow.AddSeconds(-1), 7))]);

        var report = await new SeedRunner(store).RunAsync(Service, RunRequest.PreDeploy());

        Assert.Equal(2, report.Created);
        var history = (await store.QueryAsync(new DocumentQuery(MigrationHistory.Collection, []))).Single();
        Assert.Equal(8, history.Fields["lock_token"].AsInteger());
        var released = (await store.GetAllAsync([LockPath]))[0];
        Assert.True(released.Fields["expires_at"].AsTimestamp().ToDateTimeOffset() <= DateTimeOffset.UtcNow, "released: expired at once");
        Assert.Equal(8, released.Fields["token"].AsInteger()); // kept, so the next holder gets 9
        Assert.Equal(string.Empty, released.Fields["owner"].AsString());
    }

    [Fact]
    public async Task A_live_lease_makes_the_runner_wait_then_time_out_without_writing()
    {
        var store = new InMemoryDocumentStore();
        await store.CommitAsync([DocumentWrite.Create(LockPath, LockFields("busy-runner", DateTimeOffset.UtcNow.AddMinutes(5), 1))]);
        var options = new SeedRunnerOptions { LockWaitTimeout = TimeSpan.FromMilliseconds(300), LockPollInterval = TimeSpan.FromMilliseconds(50) };

        var error = await Assert.ThrowsAsync<LockTimeoutException>(() => new SeedRunner(store, options: options).RunAsync(Service, RunRequest.PreDeploy()));

        Assert.Contains("busy-runner", error.Message);
        Assert.Equal(1, store.Count);
    }

    // Issue 10: a lease left with no owner name must not time out with "held by ''"; the message says who (or that
    // the holder is unknown), until when by the store's clock, and what to do.
    [Theory]
    [InlineData("")]
    [InlineData("busy-runner")]
    public async Task The_lock_timeout_names_the_holder_or_says_it_is_unknown_and_until_when_by_the_stores_clock(string owner)
    {
        var store = new InMemoryDocumentStore();
        var expires = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5));
        await store.CommitAsync([DocumentWrite.Create(LockPath, LockFields(owner, expires.ToDateTimeOffset(), 1))]);
        var options = new SeedRunnerOptions { LockWaitTimeout = TimeSpan.FromMilliseconds(200), LockPollInterval = TimeSpan.FromMilliseconds(50) };

        var error = await Assert.ThrowsAsync<LockTimeoutException>(() => new SeedRunner(store, options: options).RunAsync(Service, RunRequest.PreDeploy()));

        Assert.DoesNotContain("''", error.Message, StringComparison.Ordinal);
        Assert.Contains(owner == "" ? "a runner that did not record its name" : "'busy-runner'", error.Message, StringComparison.Ordinal);
        Assert.Equal(owner == "" ? null : owner, error.Holder);
        Assert.Contains($"until {expires} by the store's clock", error.Message, StringComparison.Ordinal);
        Assert.Equal(expires, error.ExpiresAt);
        Assert.Contains("run again", error.Message, StringComparison.Ordinal);
    }

    // Issue 10, item 1: a migration's started time is in the lock document before its first write (announced at
    // acquisition, or committed by BeginAsync when it was not), survives the holder, comes back to the next holder as
    // an earlier attempt's, and leaves with the commit that records the migration.
    [Fact]
    public async Task Started_times_precede_the_first_write_pass_to_the_next_holder_and_leave_when_recorded()
    {
        var store = new InMemoryDocumentStore();
        var options = new SeedRunnerOptions { LockPollInterval = TimeSpan.FromMilliseconds(20) };
        Timestamp Started(DocumentSnapshot lease, string key) => lease.Fields["migrations_started"].AsMap()[key].AsTimestamp();

        var first = await LeaseLock.AcquireAsync(store, "tenant", ["pre/0001_a"], options, CancellationToken.None);
        Assert.Null(await first.BeginAsync("pre/0001_a", CancellationToken.None)); // announced at acquisition
        Assert.Null(await first.BeginAsync("pre/0002_b", CancellationToken.None)); // not announced: one commit puts it there
        var written = await store.WriteBatchAsync([DocumentWrite.Create(DocumentPath.Parse("roles/a"), new Dictionary<string, Value>())]);
        var held = (await store.GetAllAsync([LockPath]))[0];
        Assert.True(Started(held, "pre/0001_a") <= written[0].UpdateTime!.Value);
        Assert.True(Started(held, "pre/0002_b") <= written[0].UpdateTime!.Value);
        await first.DisposeAsync(); // neither migration recorded: the times stay

        var second = await LeaseLock.AcquireAsync(store, "tenant", [], options, CancellationToken.None);
        try
        {
            Assert.Equal(Started(held, "pre/0001_a"), await second.BeginAsync("pre/0001_a", CancellationToken.None));
            await second.CommitHoldingAsync([], CancellationToken.None, completes: "pre/0001_a");
            var after = (await store.GetAllAsync([LockPath]))[0];
            Assert.Equal(["pre/0002_b"], after.Fields["migrations_started"].AsMap().Keys);
            Assert.Equal(Started(held, "pre/0002_b"), Started(after, "pre/0002_b"));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_runner_that_waited_rereads_history_and_applies_nothing_twice()
    {
        var store = new InMemoryDocumentStore();
        await store.CommitAsync([DocumentWrite.Create(LockPath, LockFields("first-runner", DateTimeOffset.UtcNow.AddMinutes(5), 1))]);
        var options = new SeedRunnerOptions { LockPollInterval = TimeSpan.FromMilliseconds(20) };
        var waiting = new SeedRunner(store, options: options).RunAsync(Service, RunRequest.PreDeploy());
        await Task.Delay(100);

        // The first runner finishes the migration and releases its lease while the second one waits.
        await store.WriteBatchAsync([DocumentWrite.Create(DocumentPath.Parse("roles/admin"), new Dictionary<string, Value>())]);
        await store.CommitAsync([
            MigrationHistory.Record("tenant", new SeedReport { Seed = Service.Seeds[0], Outcome = SeedOutcome.Applied, Plan = [] }, 1),
            DocumentWrite.Delete(LockPath),
        ]);
        var report = await waiting;

        Assert.Equal(SeedOutcome.AlreadyApplied, report.Seeds.Single().Outcome);
        Assert.False((await store.GetAllAsync([DocumentPath.Parse("roles/user")]))[0].Exists);
    }

    [Fact]
    public async Task Dry_run_and_no_op_runs_take_no_lock()
    {
        var store = new InMemoryDocumentStore();
        await store.CommitAsync([DocumentWrite.Create(LockPath, LockFields("busy-runner", DateTimeOffset.UtcNow.AddMinutes(5), 1))]);
        var options = new SeedRunnerOptions { LockWaitTimeout = TimeSpan.Zero };

        var plan = await new SeedRunner(store, options: options).RunAsync(Service, RunRequest.PreDeploy(dryRun: true));

        Assert.Equal(2, plan.Plan.Count(p => p.Action == PlanAction.Create));
        Assert.Equal(1, store.WriteCalls);
    }
}
