using Seeding.TestSupport;
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
/// The crash campaign at CI size (<see cref="BackfillCrashCampaign"/>: three runner processes, random ones killed with
/// SIGKILL while the backfill runs and replaced): the data then equals an uninterrupted run's field by field, the
/// documents read again stay within one batch per kill, and the migration is recorded once. The same campaign runs at
/// full scale with <c>dotnet run -c Release --project tests/Seeding.Concurrency.Tests -- campaign</c>.
/// </summary>
public abstract class BackfillCrashCampaignTests(ITestOutputHelper output) : IDisposable
{
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
        var settings = new BackfillCrashCampaignSettings(Documents, Kills, Batch, PaceMilliseconds);
        var campaign = new BackfillCrashCampaign(settings, await NewStoreAsync(), await NewStoreAsync(), Directory, output.WriteLine);

        var result = await campaign.RunAsync();

        foreach (var line in result.SummaryLines())
        {
            output.WriteLine(line);
        }

        Assert.True(result.Passed, string.Join("\n", result.Failures));
    }
}
