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
    // Issue 10, item 1: an attempt interrupted after some batches landed, then a rerun to completion: the history's
    // window must cover the interrupted attempt too, so revert deletes all of it, not only what the rerun created.
    // diesAfter: the interrupted runner's store fails every call from then on (no release: the rerun waits out the
    // lease), or only that batch (the run fails and releases its lease).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Revert_after_an_interrupted_run_deletes_what_every_attempt_created(bool dies)
    {
        var store = new InMemoryDocumentStore();
        await store.WriteBatchAsync([DocumentWrite.Create(P("items/doc-00007"), new Dictionary<string, Value> { ["legacy"] = Value.Boolean(true) })]);
        var big = Migration("0001_items", SeedPhase.Pre, "sha256:items", Create("items", Many(1200)));
        var lease = new SeedRunnerOptions { LockTtl = TimeSpan.FromMilliseconds(300), LockPollInterval = TimeSpan.FromMilliseconds(20) };

        var failed = await Assert.ThrowsAsync<SeedRunException>(() => new SeedRunner(new FailsFromSecondBatch(store, dies), options: lease).RunAsync(Service(big), RunRequest.PreDeploy()));
        Assert.IsType<IOException>(failed.InnerException);
        Assert.Equal(1 + 500, (await store.QueryAsync(new DocumentQuery("items", []))).Count);
        var rerun = await new SeedRunner(store, options: lease).RunAsync(Service(big), RunRequest.PreDeploy());
        Assert.Equal(1199 - 500, rerun.Created);

        var history = Assert.Single(await store.QueryAsync(new DocumentQuery(MigrationHistory.Collection, [])));
        Assert.True(history.Fields.ContainsKey("interrupted_attempt_started_at"));
        var report = await new SeedRunner(store, options: lease).RevertAsync(Service(big), "0001_items");

        Assert.Equal(1199, report.Deleted.Count);
        var kept = Assert.Single(report.Kept);
        Assert.Equal(P("items/doc-00007"), kept.Path);
        Assert.StartsWith("existed before", kept.Reason, StringComparison.Ordinal);
        Assert.Equal([P("items/doc-00007")], (await store.QueryAsync(new DocumentQuery("items", []))).Select(d => d.Path));
    }

    /// <summary>Fails the second batch of documents (and, when it dies, every call after it: no renewal, no release).</summary>
    private sealed class FailsFromSecondBatch(IDocumentStore inner, bool dies) : IDocumentStore
    {
        private int _batches;
        private volatile bool _dead;

        public string Name => inner.Name;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<IReadOnlyList<DocumentSnapshot>> GetAllAsync(IReadOnlyList<DocumentPath> paths, CancellationToken cancellationToken = default) =>
            _dead ? Failed<IReadOnlyList<DocumentSnapshot>>() : inner.GetAllAsync(paths, cancellationToken);

        public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _batches) >= 2 || _dead)
            {
                _dead = dies;
                return Failed<IReadOnlyList<WriteOutcome>>();
            }

            return inner.WriteBatchAsync(writes, cancellationToken);
        }

        public Task<IReadOnlyList<WriteOutcome>> CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            _dead ? Failed<IReadOnlyList<WriteOutcome>>() : inner.CommitAsync(writes, cancellationToken);

        public Task<IReadOnlyList<DocumentSnapshot>> QueryAsync(DocumentQuery query, CancellationToken cancellationToken = default) =>
            _dead ? Failed<IReadOnlyList<DocumentSnapshot>>() : inner.QueryAsync(query, cancellationToken);

        private static Task<T> Failed<T>() => Task.FromException<T>(new IOException("The store stopped answering (the runner was interrupted)."));
    }
}
