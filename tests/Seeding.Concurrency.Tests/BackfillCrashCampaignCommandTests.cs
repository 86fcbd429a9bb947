using Seeding.TestSupport;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// The <c>campaign</c> entry as people run it (this assembly as its own process): a small campaign passes with its
/// summary, one whose invariant fails exits 1 naming it, and a bad argument exits 2 saying what to give.
/// </summary>
public sealed class BackfillCrashCampaignCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_small_campaign_on_sqlite_passes_and_prints_its_summary()
    {
        var run = await CampaignAsync("--store", "sqlite", "--documents", "2000", "--kills", "2");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("kills:              2 during the backfill", run.Output, StringComparison.Ordinal);
        Assert.Contains("compared:           2,000 documents field by field with the uninterrupted run, 1,500 migrated", run.Output, StringComparison.Ordinal);
        Assert.Contains("result:             PASSED", run.Output, StringComparison.Ordinal);
        Assert.Contains("bound 100 (one batch per kill)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kills_that_cannot_land_before_the_backfill_ends_fail_the_campaign_with_exit_1()
    {
        // 300 matches take a few batches; 20 kills a second or more apart cannot all land while they run.
        var run = await CampaignAsync("--store", "sqlite", "--documents", "400", "--kills", "20", "--kill-gap-ms", "1000-2000");

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("result:             FAILED", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"FAILED: only \d+ of 20 kills landed before the migration was recorded", run.Error);
    }

    [Theory]
    [InlineData("--store sqlite --pace-ms 900", "--pace-ms 900: give 0 to 500")]
    [InlineData("--store postgres", "--store postgres: give firestore or sqlite.")]
    [InlineData("--store sqlite --documents many", "--documents many: give a whole number.")]
    [InlineData("--store sqlite --kills", "--kills needs a value.")]
    [InlineData("--documents 100", "--store is required.")]
    public async Task A_bad_argument_exits_2_saying_what_to_give(string arguments, string message)
    {
        var run = await CampaignAsync(arguments.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Contains("usage: campaign --store firestore|sqlite", run.Error, StringComparison.Ordinal);
    }

    private static Task<ChildProcessResult> CampaignAsync(params string[] arguments) =>
        ChildProcess.RunAsync(ConcurrencyTests.WorkerStart(["campaign", .. arguments]), Patience, "the campaign");
}
