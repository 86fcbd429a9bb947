using System.Diagnostics;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using Xunit.Abstractions;

// One scenario at a time: eight runners (or eight processes) already fill two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Seeding.Concurrency.Tests;

/// <summary>Issue 4 on the embedded store: runners share one temporary SQLite file.</summary>
public sealed class SqliteConcurrencyTests(ITestOutputHelper output) : ConcurrencyTests(output)
{
    protected override Task<StoreSpec> NewStoreAsync() => Task.FromResult(StoreSpec.Sqlite(Path.Combine(Directory, "seeding.db")));
}

/// <summary>Issue 4 on Firestore: runners share one fresh emulator project.</summary>
public sealed class FirestoreConcurrencyTests(ITestOutputHelper output) : ConcurrencyTests(output)
{
    protected override async Task<StoreSpec> NewStoreAsync() => StoreSpec.Firestore(await FirestoreEmulator.HostAsync(), FirestoreEmulator.NewProjectId("race"));
}

/// <summary>
/// Runners started together, as replicas of a service are on deploy: threads in this process, or separate
/// processes (this test assembly run as a worker). Whatever the interleaving, each migration is applied by one
/// runner and recorded once, nothing is created twice, and the lease is released. A holder killed mid-migration
/// is taken over once its lease expires.
/// </summary>
public abstract class ConcurrencyTests(ITestOutputHelper output) : IDisposable
{
    private const int Runners = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly ScratchDirectory _scratch = new("seeding-concurrency-tests");

    protected string Directory => _scratch.Path;

    public void Dispose()
    {
        _scratch.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<StoreSpec> NewStoreAsync();

    [Fact]
    public async Task Eight_threads_apply_each_migration_exactly_once()
    {
        var spec = await NewStoreAsync();
        await SetupAsync(spec);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runners = Enumerable.Range(0, Runners).Select(i => Task.Run(async () =>
        {
            var store = spec.Open();
            try
            {
                await go.Task;
                var report = await new SeedRunner(store, options: Program.RunnerOptions($"thread-{i}")).RunAsync(RaceScenario.Seeds(), RunRequest.All());
                return (IReadOnlyList<SeedLine>)SeedLine.From(report).ToArray();
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }
        })).ToArray();

        var clock = Stopwatch.StartNew();
        go.SetResult();
        var reports = await Task.WhenAll(runners).WaitAsync(Patience);
        output.WriteLine($"{Runners} threads on {spec.Kind} finished in {clock.ElapsedMilliseconds} ms");

        await VerifyAsync(spec, reports);
    }

    [Fact]
    public async Task Eight_processes_apply_each_migration_exactly_once()
    {
        var spec = await NewStoreAsync();
        await SetupAsync(spec);
        var exchange = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "exchange")).FullName;
        var workers = Enumerable.Range(0, Runners).Select(w => StartWorker(["race", .. spec.ToArgs(), $"{w}", exchange])).ToArray();
        try
        {
            // Start together: every worker is up and connected before any runs.
            var deadline = DateTime.UtcNow + Patience;
            while (Enumerable.Range(0, Runners).Any(w => !File.Exists(Path.Combine(exchange, $"ready-{w}"))))
            {
                Assert.True(DateTime.UtcNow < deadline, "workers did not start in time");
                Assert.True(!workers.Any(w => w.HasExited), "a worker stopped early: " + Errors(exchange));
                await Task.Delay(20);
            }

            var clock = Stopwatch.StartNew();
            await File.WriteAllTextAsync(Path.Combine(exchange, "go"), "go");
            foreach (var worker in workers)
            {
                await worker.WaitForExitAsync().WaitAsync(Patience);
                Assert.True(worker.ExitCode == 0, $"a worker failed: {Errors(exchange)}");
            }

            output.WriteLine($"{Runners} processes on {spec.Kind} finished in {clock.ElapsedMilliseconds} ms after go");
            var reports = Enumerable.Range(0, Runners)
                .Select(w => (IReadOnlyList<SeedLine>)File.ReadAllLines(Path.Combine(exchange, $"out-{w}")).Select(SeedLine.Parse).ToArray())
                .ToArray();
            await VerifyAsync(spec, reports);
        }
        finally
        {
            End(workers);
        }
    }

    [Fact]
    public async Task A_runner_killed_while_holding_the_lease_is_taken_over_after_expiry()
    {
        var spec = await NewStoreAsync();
        var exchange = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "exchange")).FullName;
        var lockPath = DocumentPath.Create("seeding_locks", "hold");
        var victim = StartWorker(["hold", .. spec.ToArgs(), exchange]);
        var store = spec.Open();
        try
        {
            // The victim applied 0001 and now waits inside 0002, holding the lease (2 s, renewed every 0.67 s).
            var deadline = DateTime.UtcNow + Patience;
            while (!File.Exists(Path.Combine(exchange, "holding")))
            {
                Assert.True(DateTime.UtcNow < deadline, "the victim did not reach its holding migration in time");
                Assert.False(victim.HasExited, "the victim stopped early: " + Errors(exchange));
                await Task.Delay(20);
            }

            victim.Kill();
            await victim.WaitForExitAsync().WaitAsync(Patience);
            var left = (await store.GetAllAsync([lockPath]))[0];
            Assert.True(left.Exists, "the dead runner's lease is still there");
            Assert.Equal("victim", FieldReader.String(left.Fields, "owner"));
            var token = FieldReader.Integer(left.Fields, "token");
            var expiry = FieldReader.Timestamp(left.Fields, "expires_at").ToDateTimeOffset();
            output.WriteLine($"victim killed holding token {token}; its lease expires in {(expiry - DateTimeOffset.UtcNow).TotalMilliseconds:F0} ms");

            // The next runner waits for the expiry, takes over with a higher token and finishes the work.
            await File.WriteAllTextAsync(Path.Combine(exchange, "release"), "release");
            var clock = Stopwatch.StartNew();
            var report = await new SeedRunner(store, options: Program.ShortLease("successor")).RunAsync(RaceScenario.Holding(exchange), RunRequest.PreDeploy()).WaitAsync(Patience);
            var finished = DateTimeOffset.UtcNow;
            output.WriteLine($"successor finished after {clock.ElapsedMilliseconds} ms");

            Assert.True(finished >= expiry, $"the successor finished at {finished:O}, before the dead runner's lease expired at {expiry:O}");
            Assert.Equal([SeedOutcome.AlreadyApplied, SeedOutcome.Applied, SeedOutcome.Applied], report.Seeds.Select(s => s.Outcome));
            var history = await RaceScenario.AllAsync(store, MigrationHistory.Collection);
            Assert.Equal(["hold:pre:0001_roles", "hold:pre:0002_hold", "hold:pre:0003_users"], history.Select(h => h.Path.Id));
            Assert.Equal([token, token + 1, token + 1], history.Select(h => FieldReader.Integer(h.Fields, "lock_token")));
            var executions = await RaceScenario.AllAsync(store, CountExecutions.Collection);
            Assert.Equal(Environment.ProcessId, Assert.Single(executions).Fields["process"].AsInteger());
            Assert.Single(await RaceScenario.AllAsync(store, "roles"));
            Assert.Matches(RaceScenario.NewUserId(), Assert.Single(await RaceScenario.AllAsync(store, "users")).Path.Id);
            var released = (await store.GetAllAsync([lockPath]))[0];
            Assert.True(released.Fields["expires_at"].AsTimestamp().ToDateTimeOffset() <= DateTimeOffset.UtcNow, "the successor released the lease");
            Assert.Equal(token + 1, released.Fields["token"].AsInteger());
            Assert.False(File.Exists(Path.Combine(exchange, "out-hold")), "the victim must not have finished");
        }
        finally
        {
            End([victim]);
            (store as IDisposable)?.Dispose();
        }
    }

    // The lease fences random-id creates on the real stores too: a holder stalled (every call of it paused, renewals
    // included) between its "not found" query and its create is taken over; when it resumes, its create is refused
    // together with its stale lease and it stops with LockLostException, so there is one user, not two.
    [Fact]
    public async Task A_stalled_holder_creates_nothing_after_its_lease_was_taken_over()
    {
        var spec = await NewStoreAsync();
        var inner = spec.Open();
        var stalled = new StallingStore(inner) { StallAfterQuery = 2 }; // the query under the lease, right before the create
        try
        {
            var first = new SeedRunner(stalled, options: Program.ShortLease("stalled")).RunAsync(RaceScenario.OneRandomUser(), RunRequest.PreDeploy());
            await stalled.Stalled.WaitAsync(Patience);
            var second = await new SeedRunner(inner, options: Program.ShortLease("successor")).RunAsync(RaceScenario.OneRandomUser(), RunRequest.PreDeploy()).WaitAsync(Patience);
            Assert.Equal(1, second.Created);
            stalled.Resume();
            await Assert.ThrowsAsync<LockLostException>(() => first.WaitAsync(Patience));

            var user = Assert.Single(await RaceScenario.AllAsync(inner, "users"));
            Assert.Equal(second.Plan.Single().Path, user.Path);
            var history = Assert.Single(await RaceScenario.AllAsync(inner, MigrationHistory.Collection));
            Assert.Equal(2, FieldReader.Integer(history.Fields, "lock_token")); // recorded by the successor
        }
        finally
        {
            stalled.Resume();
            (inner as IDisposable)?.Dispose();
        }
    }

    // The same with no renewal in flight to notice first (a long lease): the holder learns that its lease is gone from
    // the refusal of its fenced create itself. On Firestore that refusal (FAILED_PRECONDITION) names no document, so
    // the store must attribute it to the lease's update-time write, not to the create beside it; otherwise the runner
    // records "exists" for a user it never created, takes its refused history record for another runner's, and
    // reports the migration applied.
    [Fact]
    public async Task A_holder_whose_lease_was_taken_over_meanwhile_stops_at_its_fenced_create()
    {
        var spec = await NewStoreAsync();
        var inner = spec.Open();
        var stalled = new StallingStore(inner) { StallAfterQuery = 2 };
        try
        {
            var run = new SeedRunner(stalled, options: Program.RunnerOptions("stalled") with { LockTtl = TimeSpan.FromMinutes(10) })
                .RunAsync(RaceScenario.OneRandomUser(), RunRequest.PreDeploy());
            await stalled.Stalled.WaitAsync(Patience);
            var lockPath = DocumentPath.Create("seeding_locks", RaceScenario.Service);
            var held = (await inner.GetAllAsync([lockPath]))[0];
            await inner.CommitAsync([DocumentWrite.Set(lockPath, RaceScenario.Fields(
                ("owner", Value.String("successor")),
                ("token", Value.Integer(FieldReader.Integer(held.Fields, "token") + 1)),
                ("expires_at", Value.Timestamp(DateTimeOffset.UtcNow.AddMinutes(10)))))]);
            stalled.Resume();

            await Assert.ThrowsAsync<LockLostException>(() => run.WaitAsync(Patience));
            Assert.Empty(await RaceScenario.AllAsync(inner, "users"));
            Assert.Empty(await RaceScenario.AllAsync(inner, MigrationHistory.Collection));
        }
        finally
        {
            stalled.Resume();
            (inner as IDisposable)?.Dispose();
        }
    }

    private static async Task SetupAsync(StoreSpec spec)
    {
        var store = spec.Open();
        try
        {
            await RaceScenario.SetupAsync(store);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private static async Task VerifyAsync(StoreSpec spec, IReadOnlyList<IReadOnlyList<SeedLine>> reports)
    {
        var store = spec.Open();
        try
        {
            await RaceScenario.VerifyAsync(store, reports, Runners);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    internal static Process StartWorker(string[] arguments) =>
        Process.Start(WorkerStart(arguments)) ?? throw new InvalidOperationException("Could not start a worker process.");

    /// <summary>This assembly run with <paramref name="arguments"/> as its own process (<c>dotnet exec</c>).</summary>
    internal static ProcessStartInfo WorkerStart(string[] arguments)
    {
        var host = Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    internal static void End(IEnumerable<Process> workers)
    {
        foreach (var worker in workers)
        {
            if (!worker.HasExited)
            {
                worker.Kill();
            }

            worker.Dispose();
        }
    }

    internal static string Errors(string exchange) =>
        string.Join("\n", System.IO.Directory.GetFiles(exchange, "error-*").Select(File.ReadAllText));
}
