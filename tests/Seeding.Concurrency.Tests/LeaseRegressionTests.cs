using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// Lease defects found while testing concurrency, kept as regression tests: a stalled holder's random-id create is
/// fenced by the lease, a failed renewal neither fails a recorded run nor keeps the lease, and fencing tokens grow.
/// </summary>
public sealed class LeaseRegressionTests
{
    private static readonly DocumentPath LockPath = DocumentPath.Create("seeding_locks", "race");

    // A holder that stalls past its lease (GC pause, VM freeze, SIGSTOP) between its "not found" query and its write
    // must not create its random-id document after the successor created one: the create is fenced by the lease.
    [Fact]
    public async Task A_stalled_holder_does_not_create_a_second_random_id_document_after_being_taken_over()
    {
        var inner = new InMemoryDocumentStore();
        var stalled = new StallingStore(inner) { StallAfterQuery = 2 }; // the query under the lease, right before the create
        var service = new ServiceSeeds("race", [], [new SeedDefinition("0001_users", SeedPhase.Pre, "sha256:users", "migrations/pre/0001_users.yaml", null,
            [SeedStep.CreateMatching("users", 2, [new SeedDocument(string.Empty, RaceScenario.Fields(("email", Value.String("a@race.test"))), 3)], ["email"], "user-{hex:8}")])]);
        var lease = new SeedRunnerOptions { LockTtl = TimeSpan.FromSeconds(1), LockPollInterval = TimeSpan.FromMilliseconds(50) };

        var first = new SeedRunner(stalled, options: lease with { Owner = "stalled" }).RunAsync(service, RunRequest.PreDeploy());
        await stalled.Stalled.WaitAsync(TimeSpan.FromMinutes(1));
        var second = await new SeedRunner(inner, options: lease with { Owner = "successor" }).RunAsync(service, RunRequest.PreDeploy());
        Assert.Equal(1, second.Created);
        stalled.Resume();
        await Assert.ThrowsAsync<LockLostException>(() => first); // it does find out, but only after writing

        Assert.Single(await inner.QueryAsync(new DocumentQuery("users", [])));
    }

    // A renewal that fails with a store error (not a lost lease) must not end the renewal loop with that exception:
    // a run whose migrations were applied and recorded succeeds, and the lease is released.
    [Fact]
    public async Task A_failed_renewal_neither_fails_a_recorded_run_nor_keeps_the_lease()
    {
        var inner = new InMemoryDocumentStore();
        var flaky = new StallingStore(inner) { FailRenewals = true };
        var service = new ServiceSeeds("race", [], [SeedDefinition.FromCode("0001_slow", SeedPhase.Pre, "sha256:slow", "Migrations/Slow.cs", null, new Slow(TimeSpan.FromMilliseconds(700)))]);

        var report = await new SeedRunner(flaky, options: new SeedRunnerOptions { LockTtl = TimeSpan.FromSeconds(1.5) }).RunAsync(service, RunRequest.PreDeploy());

        Assert.True(flaky.FailedRenewals > 0, "no renewal was attempted, so none failed");
        Assert.Equal(SeedOutcome.Applied, report.Seeds.Single().Outcome);
        Assert.Single(await inner.QueryAsync(new DocumentQuery(MigrationHistory.Collection, [])));
        var lockDocument = (await inner.GetAllAsync([LockPath]))[0];
        Assert.True(lockDocument.Fields["expires_at"].AsTimestamp().ToDateTimeOffset() <= DateTimeOffset.UtcNow, "the lease is released");
    }

    // "A fencing token that grows with every new holder": releasing keeps the lock document (expired), so the next
    // holder continues from its token instead of starting again at 1.
    [Fact]
    public async Task The_fencing_token_grows_with_every_new_holder()
    {
        var store = new InMemoryDocumentStore();
        SeedDefinition Roles(string id) => new(id, SeedPhase.Pre, $"sha256:{id}", $"migrations/pre/{id}.yaml", null,
            [SeedStep.Create("roles", 2, [new SeedDocument(id, RaceScenario.Fields(("n", Value.Integer(1))), 3)])]);

        await new SeedRunner(store).RunAsync(new ServiceSeeds("race", [], [Roles("0001_a")]), RunRequest.PreDeploy());
        await new SeedRunner(store).RunAsync(new ServiceSeeds("race", [], [Roles("0001_a"), Roles("0002_b")]), RunRequest.PreDeploy());

        var tokens = (await store.QueryAsync(new DocumentQuery(MigrationHistory.Collection, []))).Select(h => h.Fields["lock_token"].AsInteger()).ToArray();
        Assert.True(tokens[1] > tokens[0], $"second holder's token {tokens[1]} is not above the first's {tokens[0]}");
    }

    private sealed class Slow(TimeSpan delay) : IMigration
    {
        public Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
    }
}
