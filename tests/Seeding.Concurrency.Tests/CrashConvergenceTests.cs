using System.Diagnostics;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.TestSupport;
using Seeding.Values;
using Xunit.Abstractions;

namespace Seeding.Concurrency.Tests;

/// <summary>Crash convergence on the embedded store: each store a fresh SQLite file.</summary>
public sealed class SqliteCrashConvergenceTests(ITestOutputHelper output) : CrashConvergenceTests(output)
{
    protected override Task<StoreSpec> NewStoreAsync() => Task.FromResult(StoreSpec.Sqlite(Path.Combine(Directory, $"{Guid.NewGuid():N}.db")));
}

/// <summary>Crash convergence on Firestore: each store a fresh emulator project.</summary>
public sealed class FirestoreCrashConvergenceTests(ITestOutputHelper output) : CrashConvergenceTests(output)
{
    protected override async Task<StoreSpec> NewStoreAsync() => StoreSpec.Firestore(await FirestoreEmulator.HostAsync(), FirestoreEmulator.NewProjectId("crash"));
}

/// <summary>
/// A runner process applying a multi-batch migration is killed (SIGKILL, as <c>kill -9</c>) at a deterministic point;
/// a rerun then converges to what a clean run leaves, field by field, with one history record per migration, and a
/// revert afterwards deletes everything the migrations created (the interrupted attempt's documents included) and
/// keeps the document that existed before.
/// </summary>
public abstract class CrashConvergenceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly ScratchDirectory _scratch = new("seeding-crash-tests");

    protected string Directory => _scratch.Path;

    public void Dispose()
    {
        _scratch.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<StoreSpec> NewStoreAsync();

    [Theory]
    [InlineData(KillPoint.BeforeLease)]
    [InlineData(KillPoint.AfterTwoBatches)]
    [InlineData(KillPoint.AfterHistory)]
    [InlineData(KillPoint.BeforeRelease)]
    public async Task A_run_killed_at_any_point_converges_on_rerun_and_reverts_completely(KillPoint killPoint)
    {
        var clock = Stopwatch.StartNew();
        var crashedSpec = await NewStoreAsync();
        var cleanSpec = await NewStoreAsync();
        using var crashed = new OwnedStore(crashedSpec);
        using var clean = new OwnedStore(cleanSpec);
        await CrashScenario.SetupAsync(crashed.Store);
        await CrashScenario.SetupAsync(clean.Store);

        // The victim: a separate process, killed by its own store at the kill point.
        var exchange = System.IO.Directory.CreateDirectory(Path.Combine(Directory, $"exchange-{killPoint}")).FullName;
        var victim = ConcurrencyTests.StartWorker(["crash", .. crashedSpec.ToArgs(), exchange, killPoint.ToString()]);
        try
        {
            await victim.WaitForExitAsync().WaitAsync(Patience);
            Assert.False(File.Exists(Path.Combine(exchange, "out-crash")), $"the runner was not killed at {killPoint}");
            Assert.True(victim.ExitCode == 137, $"the runner exited with {victim.ExitCode}, not killed by SIGKILL: {ConcurrencyTests.Errors(exchange)}");
        }
        finally
        {
            ConcurrencyTests.End([victim]);
        }

        var landed = (await RaceScenario.AllAsync(crashed.Store, "items")).Count - 1;
        output.WriteLine($"{crashedSpec.Kind}, killed {killPoint}: {landed} items had landed ({clock.ElapsedMilliseconds} ms)");

        // The rerun waits out the dead runner's lease (if it held one) and finishes; the clean run never crashed.
        var rerun = await new SeedRunner(crashed.Store, options: CrashScenario.Lease("rerun")).RunAsync(CrashScenario.Seeds(), RunRequest.PreDeploy()).WaitAsync(Patience);
        await new SeedRunner(clean.Store, options: CrashScenario.Lease("clean")).RunAsync(CrashScenario.Seeds(), RunRequest.PreDeploy());
        Assert.Equal(CrashScenario.Items - 1 + CrashScenario.Tags - landed - (killPoint == KillPoint.BeforeRelease ? CrashScenario.Tags : 0), rerun.Created);

        await CrashScenario.AssertSameDataAsync(clean.Store, crashed.Store);
        var legacy = (await crashed.Store.GetAllAsync([CrashScenario.Legacy]))[0];
        Assert.Equal(RaceScenario.Fields(("legacy", Value.Boolean(true))), legacy.Fields);
        var lockPath = DocumentPath.Create("seeding_locks", CrashScenario.Service);
        Assert.Empty((await crashed.Store.GetAllAsync([lockPath]))[0].Fields["migrations_started"].AsMap()); // all recorded

        // Revert, newest first: everything the migrations created goes, the interrupted attempt's documents too.
        var runner = new SeedRunner(crashed.Store, options: CrashScenario.Lease("revert"));
        var tags = await runner.RevertAsync(CrashScenario.Seeds(), "0002_tags");
        var items = await runner.RevertAsync(CrashScenario.Seeds(), "0001_items");
        Assert.Equal(CrashScenario.Tags, tags.Deleted.Count);
        Assert.Empty(tags.Kept);
        Assert.Equal(CrashScenario.Items - 1, items.Deleted.Count);
        var kept = Assert.Single(items.Kept);
        Assert.Equal((CrashScenario.Legacy, "existed before the migration ran (it was not created by it)"), (kept.Path, kept.Reason));
        Assert.Empty(await RaceScenario.AllAsync(crashed.Store, "tags"));
        Assert.Equal([CrashScenario.Legacy], (await RaceScenario.AllAsync(crashed.Store, "items")).Select(d => d.Path));
        var lease = (await crashed.Store.GetAllAsync([lockPath]))[0];
        Assert.Equal(string.Empty, FieldReader.String(lease.Fields, "owner")); // released by the revert, expired at once
        Assert.True(FieldReader.Timestamp(lease.Fields, "expires_at") <= lease.ReadTime!.Value);
        output.WriteLine($"{crashedSpec.Kind}, killed {killPoint}: converged and reverted in {clock.ElapsedMilliseconds} ms");
    }

    private sealed class OwnedStore(StoreSpec spec) : IDisposable
    {
        public Store.IDocumentStore Store { get; } = spec.Open();

        public void Dispose() => (Store as IDisposable)?.Dispose();
    }
}
