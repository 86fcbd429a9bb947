using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Tests.SeedBuilder;

namespace Seeding.Tests;

public class RevertTests
{
    private static readonly SeedDefinition Roles = Migration("0001_roles", SeedPhase.Pre, "sha256:r",
        Create("roles", Doc("admin", ("level", Value.Integer(0))), Doc("owner", ("level", Value.Integer(1))), Doc("user", ("level", Value.Integer(10)))));

    private static DocumentPath P(string path) => DocumentPath.Parse(path);

    [Fact]
    public async Task Revert_deletes_only_unchanged_documents_the_migration_created_and_makes_it_pending_again()
    {
        var store = new InMemoryDocumentStore();
        await store.WriteBatchAsync([DocumentWrite.Create(P("roles/user"), new Dictionary<string, Value> { ["level"] = Value.Integer(99) })]);
        await new SeedRunner(store).RunAsync(Service(Roles), RunRequest.PreDeploy());
        await store.WriteBatchAsync([DocumentWrite.Merge(P("roles/owner"), new Dictionary<string, Value> { ["renamed"] = Value.Boolean(true) })]);

        var dry = await new SeedRunner(store).RevertAsync(Service(Roles), "0001_roles", dryRun: true);
        Assert.Equal([P("roles/admin")], dry.Deleted);
        Assert.True((await store.GetAllAsync([P("roles/admin")]))[0].Exists);

        var report = await new SeedRunner(store).RevertAsync(Service(Roles), "0001_roles");

        Assert.Equal([P("roles/admin")], report.Deleted);
        Assert.Contains(report.Kept, k => k.Path == P("roles/owner") && k.Reason.StartsWith("changed since it was created", StringComparison.Ordinal));
        Assert.Contains(report.Kept, k => k.Path == P("roles/user") && k.Reason.StartsWith("existed before", StringComparison.Ordinal));
        var docs = await store.GetAllAsync([P("roles/admin"), P("roles/owner"), P("roles/user")]);
        Assert.Equal([false, true, true], docs.Select(d => d.Exists));
        Assert.Equal(MigrationState.Pending, (await new SeedRunner(store).GetStatusAsync(Service(Roles))).Single().State);
        var record = Assert.Single(await store.QueryAsync(new DocumentQuery(MigrationHistory.Collection, [])));
        Assert.Contains(":reverted:", record.Path.Id, StringComparison.Ordinal);
        Assert.Equal(1, record.Fields["reverted_deleted"].AsInteger());

        var again = await new SeedRunner(store).RunAsync(Service(Roles), RunRequest.PreDeploy());
        Assert.Equal(1, again.Created);
    }

    [Fact]
    public async Task A_backfill_cannot_be_reverted_and_the_message_says_what_to_do()
    {
        var backfill = Migration("0001_backfill", SeedPhase.Post, "sha256:b",
            SeedStep.Backfill("resources", 4, new Dictionary<string, Value> { ["x"] = Value.Null }, new Dictionary<string, Value> { ["x"] = Value.Integer(1) }));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SeedRunner(new InMemoryDocumentStore()).RevertAsync(Service(backfill), "0001_backfill"));
        Assert.Contains("a backfill (line 4)", error.Message);
        Assert.Contains("new migration that undoes it", error.Message);
    }

    [Fact]
    public async Task A_migration_that_is_not_applied_is_not_reverted()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SeedRunner(new InMemoryDocumentStore()).RevertAsync(Service(Roles), "0001_roles"));
        Assert.Contains("not applied", error.Message);
    }
}
