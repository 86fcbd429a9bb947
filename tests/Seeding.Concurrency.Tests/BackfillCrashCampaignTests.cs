using System.Diagnostics;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.TestSupport;
using Seeding.Values;
using Xunit.Abstractions;

namespace Seeding.Concurrency.Tests;

/// <summary>The crash campaign on the embedded store: 20 kills during a 20,000-document backfill.</summary>
public sealed class SqliteBackfillCrashCampaignTests(ITestOutputHelper output) : BackfillCrashCampaignTests(output)
{
    protected override int Documents => 20_000;

    protected override int Kills => 20;

    protected override int Batch => 50;

    protected override int PaceMilliseconds => 60;

    protected override Task<StoreSpec> NewStoreAsync() => Task.FromResult(StoreSpec.Sqlite(Path.Combine(Directory, $"{Guid.NewGuid():N}.db")));
}

/// <summary>The crash campaign on the Firestore emulator (no PartitionQuery there: the key range is split by a keys-only scan): 3 kills.</summary>
public sealed class FirestoreBackfillCrashCampaignTests(ITestOutputHelper output) : BackfillCrashCampaignTests(output)
{
    protected override int Documents => 2_000;

    protected override int Kills => 3;

    protected override int Batch => 25;

    protected override int PaceMilliseconds => 40;

    protected override async Task<StoreSpec> NewStoreAsync() => StoreSpec.Firestore(await FirestoreEmulator.HostAsync(), FirestoreEmulator.NewProjectId("bfcrash"));
}

/// <summary>
/// Three runner processes share one backfill (the first takes the migration lease and creates the partitions, the
/// others join as workers); random ones are killed with SIGKILL while it runs and replaced, until it is done. The
/// data then equals an uninterrupted run's field by field, the documents read again stay within one batch per kill
/// (each process works on one partition at a time), and the migration is recorded once.
/// </summary>
public abstract class BackfillCrashCampaignTests(ITestOutputHelper output) : IDisposable
{
    private const int Processes = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly ScratchDirectory _scratch = new("seeding-backfill-crash");

    protected string Directory => _scratch.Path;

    protected abstract int Documents { get; }

    protected abstract int Kills { get; }

    protected abstract int Batch { get; }

    protected abstract int PaceMilliseconds { get; }

    public void Dispose()
    {
        _scratch.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<StoreSpec> NewStoreAsync();

    [Fact]
    public async Task Workers_killed_at_random_during_a_backfill_converge_to_an_uninterrupted_run_reading_at_most_a_batch_again_per_kill()
    {
        var clock = Stopwatch.StartNew();
        var spec = await NewStoreAsync();
        var cleanSpec = await NewStoreAsync();
        var store = spec.Open();
        var clean = cleanSpec.Open();
        var exchange = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "exchange")).FullName;
        var workers = new List<Process>();
        try
        {
            var matches = await BackfillCrashScenario.SetupAsync(store, Documents);
            await BackfillCrashScenario.SetupAsync(clean, Documents);
            var history = MigrationHistoryPath();
            output.WriteLine($"{spec.Kind}: {Documents} documents, {matches} to backfill, set up in {clock.ElapsedMilliseconds} ms");

            var started = 0;
            Process Start() => ConcurrencyTests.StartWorker(["backfill", .. spec.ToArgs(), exchange, $"w{started++}", $"{Batch}", $"{PaceMilliseconds}"]);
            workers.AddRange(Enumerable.Range(0, Processes).Select(_ => Start()));

            // Kill only while the backfill runs: after its partitions exist, before the migration is recorded.
            var deadline = DateTime.UtcNow + Patience;
            while ((await store.QueryAsync(new DocumentQuery(BackfillRecords.CollectionOf(BackfillCrashScenario.Service), [], Limit: 1))).Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the backfill did not start: " + ConcurrencyTests.Errors(exchange));
                Assert.False(workers.All(w => w.HasExited), "every worker stopped before the backfill started: " + ConcurrencyTests.Errors(exchange));
                await Task.Delay(20);
            }

            var random = new Random(Environment.TickCount);
            var kills = 0;
            while (kills < Kills)
            {
                await Task.Delay(random.Next(100, 300));
                if ((await store.GetAllAsync([history]))[0].Exists)
                {
                    break;
                }

                var victim = workers.Where(w => !w.HasExited).OrderBy(_ => random.Next()).FirstOrDefault();
                Assert.NotNull(victim); // a process ends on its own only once the migration is recorded
                victim.Kill();
                await victim.WaitForExitAsync().WaitAsync(Patience);
                kills++;
                workers.Add(Start());
            }

            output.WriteLine($"{kills} kills in {clock.ElapsedMilliseconds} ms; {started} processes started");
            foreach (var worker in workers)
            {
                await worker.WaitForExitAsync().WaitAsync(Patience);
            }

            var exits = workers.Select(w => w.ExitCode).ToArray();
            Assert.True(exits.Count(c => c == 137) == kills, $"exit codes {string.Join(",", exits)}: {ConcurrencyTests.Errors(exchange)}");
            Assert.True(exits.Count(c => c == 0) == started - kills, $"a worker failed: {ConcurrencyTests.Errors(exchange)}");
            Assert.Equal(Kills, kills); // every kill landed while the backfill ran

            // Recorded once: one history record, by exactly one of the processes that finished.
            var outcomes = System.IO.Directory.GetFiles(exchange, "out-*").Select(File.ReadAllText).ToArray();
            Assert.Single(outcomes, o => o == nameof(SeedOutcome.Applied));
            Assert.All(outcomes, o => Assert.Contains(o, new[] { nameof(SeedOutcome.Applied), nameof(SeedOutcome.AlreadyApplied) }));
            Assert.Single(await RaceScenario.AllAsync(store, MigrationHistory.Collection));

            // Read again: at most one batch per kill (one partition per process at a time).
            var reads = BackfillCrashScenario.ReadsLogged(exchange);
            output.WriteLine($"{reads} documents read for {matches} matches: {reads - matches} read again after {kills} kills (bound {kills * Batch})");
            Assert.InRange(reads, matches, matches + (long)kills * Batch);

            // The same data as an uninterrupted run, field by field.
            await new SeedRunner(clean, options: BackfillCrashScenario.Options("clean", clean, 499)).RunAsync(BackfillCrashScenario.Seeds(), RunRequest.PostDeploy());
            var want = await RaceScenario.AllAsync(clean, BackfillCrashScenario.Collection);
            var got = await RaceScenario.AllAsync(store, BackfillCrashScenario.Collection);
            Assert.Equal(want.Select(d => d.Path), got.Select(d => d.Path));
            for (var i = 0; i < want.Count; i++)
            {
                Assert.Equal(want[i].Fields.Keys.Order(StringComparer.Ordinal), got[i].Fields.Keys.Order(StringComparer.Ordinal));
                foreach (var (key, value) in want[i].Fields)
                {
                    Assert.True(value.Equals(got[i].Fields[key]), $"{got[i].Path}.{key}: {got[i].Fields[key]}, expected {value}");
                }
            }

            Assert.Equal(matches, got.Count(d => d.Fields["status"].Equals(Value.String("migrated"))));
            Assert.Empty(await new SeedRunner(store).GetBackfillsAsync(BackfillCrashScenario.Service));
            output.WriteLine($"{spec.Kind} campaign done in {clock.ElapsedMilliseconds} ms");
        }
        finally
        {
            ConcurrencyTests.End(workers);
            (store as IDisposable)?.Dispose();
            (clean as IDisposable)?.Dispose();
        }
    }

    private static DocumentPath MigrationHistoryPath() =>
        DocumentPath.Create(MigrationHistory.Collection, $"{BackfillCrashScenario.Service}:post:{BackfillCrashScenario.Migration.Id}");
}
