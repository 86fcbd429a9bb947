using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Plans;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Tests;

/// <summary><see cref="SeedRunner.RecordPlanAsync"/> and <see cref="SeedRunner.ApplyPlanAsync"/> on the in-memory store: C# writes and backfills.</summary>
public class SavedPlanRunnerTests
{
    private static Dictionary<string, Value> Fields(string key, Value value) => new(StringComparer.Ordinal) { [key] = value };

    private sealed class BlindWriter : IMigration
    {
        public Task ApplyAsync(MigrationContext context, CancellationToken cancellationToken) =>
            context.WriteAsync(DocumentWrite.Create(DocumentPath.Parse("records/r1"), Fields("n", Value.Integer(1))), PlanAction.Create, 0, cancellationToken);
    }

    private static ServiceSeeds Service() => new("svc", [],
    [
        new SeedDefinition("0001_backfill", SeedPhase.Pre, "sha256:b", "migrations/pre/0001_backfill.yaml", null,
            [SeedStep.Backfill("users", 2, Fields("status", Value.Null), Fields("status", Value.String("active")))]),
        SeedDefinition.FromCode("0002_records", SeedPhase.Pre, "sha256:r", "Migrations/Pre/0002_records.cs", null, new BlindWriter()),
    ]);

    private static async Task<(InMemoryDocumentStore Store, Timestamp U1)> StoreWithUsersAsync()
    {
        var store = new InMemoryDocumentStore();
        var outcomes = await store.CommitAsync([
            DocumentWrite.Create(DocumentPath.Parse("users/u1"), Fields("name", Value.String("ana"))),
            DocumentWrite.Create(DocumentPath.Parse("users/u2"), Fields("status", Value.String("blocked"))),
        ]);
        return (store, outcomes[0].UpdateTime!.Value);
    }

    [Fact]
    public async Task A_backfill_and_a_blind_csharp_write_are_planned_with_what_was_seen_and_applied_exactly()
    {
        var (store, u1) = await StoreWithUsersAsync();
        var runner = new SeedRunner(store);
        var recorded = await runner.RecordPlanAsync(Service(), RunRequest.PreDeploy());

        var entries = recorded.Plan.Seeds.SelectMany(s => s.Entries).ToArray();
        Assert.Equal(
            [("users/u1", PlanAction.Update, SeenState.Present, (Timestamp?)u1), ("records/r1", PlanAction.Create, SeenState.Absent, null)],
            entries.Select(e => (e.Path.ToString(), e.Action, e.Seen, e.SeenUpdateTime)));
        Assert.Null((await store.GetAllAsync([DocumentPath.Parse("records/r1")]))[0].UpdateTime);

        var report = await runner.ApplyPlanAsync(Service(), recorded.Plan);
        Assert.Equal([SeedOutcome.Applied, SeedOutcome.Applied], report.Seeds.Select(s => s.Outcome));
        var after = await store.GetAllAsync([DocumentPath.Parse("users/u1"), DocumentPath.Parse("users/u2"), DocumentPath.Parse("records/r1")]);
        Assert.Equal(Value.String("active"), after[0].Fields["status"]);
        Assert.Equal(Value.String("blocked"), after[1].Fields["status"]);
        Assert.Equal(Value.Integer(1), after[2].Fields["n"]);
        Assert.All(await runner.GetStatusAsync(Service()), s => Assert.Equal(MigrationState.Applied, s.State));
    }

    [Fact]
    public async Task A_backfilled_document_changed_since_the_plan_stops_the_plan_before_any_write()
    {
        var (store, u1) = await StoreWithUsersAsync();
        var runner = new SeedRunner(store);
        var recorded = await runner.RecordPlanAsync(Service(), RunRequest.PreDeploy());
        await store.CommitAsync([DocumentWrite.Merge(DocumentPath.Parse("users/u1"), Fields("status", Value.String("gone")), Precondition.UpdatedAt(u1))]);

        var stale = await Assert.ThrowsAsync<StalePlanException>(() => runner.ApplyPlanAsync(Service(), recorded.Plan));
        Assert.Equal("users/u1", Assert.Single(stale.Documents).Path.ToString());
        Assert.Empty(stale.Report.Seeds);
        Assert.Equal(Value.String("gone"), (await store.GetAllAsync([DocumentPath.Parse("users/u1")]))[0].Fields["status"]);
        Assert.False((await store.GetAllAsync([DocumentPath.Parse("records/r1")]))[0].Exists);
        Assert.All(await runner.GetStatusAsync(Service()), s => Assert.Equal(MigrationState.Pending, s.State));

        // A plan for another build of the seeds is refused before anything is read.
        var edited = new ServiceSeeds("svc", [], [.. Service().Seeds.Take(1)]);
        await Assert.ThrowsAsync<SavedPlanMismatchException>(() => runner.ApplyPlanAsync(edited, recorded.Plan));
    }
}
