using Seeding.Definitions;
using Seeding.Diffing;
using Seeding.Running;
using Seeding.Store;
using Seeding.StoreContract.Seeds;
using Seeding.Values;

namespace Seeding.StoreContract;

// seeding diff on every store: what a run wrote diffs clean for every value kind, and a snapshot reads the store as of
// its first read (Firestore read_time, a SQLite read transaction, the in-memory copy), counting without reading.
public abstract partial class DocumentStoreContract
{
    private ISnapshotReadStore Snapshots => Store as ISnapshotReadStore
        ?? throw new InvalidOperationException($"{Store.GetType().Name} does not offer snapshots (ISnapshotReadStore), which seeding diff needs.");

    [Fact]
    public async Task Every_value_kind_a_run_wrote_diffs_clean()
    {
        Environment.SetEnvironmentVariable("SEEDING_CONTRACT_SECRET", "s3cret \u00fc");
        var service = new ServiceSeeds(_prefix, [], SeedingRegistry.Service.Seeds);
        await new SeedRunner(Store).RunAsync(service, RunRequest.PreDeploy());

        var result = await new SeedDiffer(Store, new SeedRunnerOptions { Capabilities = new StoreCapabilities { Snapshots = Snapshots } })
            .DiffAsync([service], new DiffRequest { Phases = [SeedPhase.Pre] });

        var diff = Assert.Single(result.Services);
        Assert.True(diff.DocumentsCompared >= 4, $"{diff.DocumentsCompared} documents compared");
        Assert.True(!result.HasDrift, string.Join("\n", diff.Documents.Select(d => $"{d.Path}: {string.Join(", ", d.Fields)}")));
        Assert.Equal(diff.DocumentsCompared, diff.UnchangedDocuments);
    }

    [Fact]
    public async Task A_snapshot_reads_the_store_as_of_its_first_read()
    {
        var a = Doc("snap", "a");
        var b = Doc("snap", "b");
        await Set(a, F(("v", Value.Integer(1)), ("kind", Value.String("x"))));

        var snapshot = await Snapshots.OpenSnapshotAsync();
        await using (snapshot)
        {
            var first = await snapshot.GetAllAsync([a]);
            await Set(a, F(("v", Value.Integer(2)), ("kind", Value.String("x"))));
            await Set(b, F(("v", Value.Integer(3)), ("kind", Value.String("x"))));

            var again = await snapshot.GetAllAsync([a, b]);
            var query = await snapshot.QueryAsync(new DocumentQuery(a.Collection, [FieldFilter.EqualTo("kind", Value.String("x"))]));
            var count = await snapshot.CountAsync(new DocumentQuery(a.Collection, [FieldFilter.EqualTo("kind", Value.String("x"))]));

            Assert.Equal(Value.Integer(1), first[0].Fields["v"]);
            Assert.Equal(Value.Integer(1), again[0].Fields["v"]);
            Assert.False(again[1].Exists);
            Assert.Equal([a], query.Select(d => d.Path));
            Assert.Equal(1, count);
            Assert.NotNull(snapshot.ReadTime);
        }

        Assert.Equal(Value.Integer(2), (await Store.GetAllAsync([a]))[0].Fields["v"]);
    }

    [Fact]
    public async Task A_snapshot_counts_the_documents_a_query_matches_whatever_its_limit()
    {
        for (var i = 0; i < 5; i++)
        {
            await Set(Doc("count", $"d{i}"), F(("even", Value.Boolean(i % 2 == 0)), ("n", Value.Integer(i))));
        }

        var snapshot = await Snapshots.OpenSnapshotAsync();
        await using (snapshot)
        {
            var collection = Collection("count");
            Assert.Equal(3, await snapshot.CountAsync(new DocumentQuery(collection, [FieldFilter.EqualTo("even", Value.Boolean(true))], Limit: 1)));
            Assert.Equal(5, await snapshot.CountAsync(new DocumentQuery(collection, [])));
            Assert.Equal(0, await snapshot.CountAsync(new DocumentQuery(Collection("none"), [])));
        }
    }
}
