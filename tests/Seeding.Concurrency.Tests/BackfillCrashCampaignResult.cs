using System.Globalization;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// What a crash campaign did and found. <see cref="Failures"/> lists every invariant that did not hold, each saying
/// what was expected and what was seen; empty when the campaign passed.
/// </summary>
/// <param name="Store">The store kind (<c>sqlite</c>, <c>firestore</c>).</param>
/// <param name="Documents">Items written before the backfill.</param>
/// <param name="Matches">Items the backfill matches.</param>
/// <param name="Kills">Kills that landed before the migration was recorded.</param>
/// <param name="Signalled">Processes that died of a kill (<see cref="Kills"/>, plus one if the last kill came as the migration was recorded).</param>
/// <param name="ProcessesStarted">Worker processes started: the first ones and every replacement.</param>
/// <param name="Reads">Documents the workers read (the <c>seeding.backfill.documents.read</c> metric, summed over every process).</param>
/// <param name="ReadAgainBound">The most documents the workers may read again: one batch per kill.</param>
/// <param name="Takeovers">Partitions resumed after their worker's lease expired (the <c>seeding.backfill.takeovers</c> metric): one per kill of a worker holding one, more when a live worker stalled past its lease.</param>
/// <param name="Compared">Documents compared with the uninterrupted run.</param>
/// <param name="Migrated">Compared documents the backfill marked <c>migrated</c>.</param>
/// <param name="Setup">Writing the items into both stores.</param>
/// <param name="Backfill">From starting the first worker to the last worker's exit, kills included.</param>
/// <param name="Reference">The uninterrupted run on the reference store.</param>
/// <param name="Comparison">Streaming both stores and comparing them document by document.</param>
/// <param name="Failures">The invariants that did not hold.</param>
public sealed record BackfillCrashCampaignResult(
    string Store,
    int Documents,
    int Matches,
    int Kills,
    int Signalled,
    int ProcessesStarted,
    long Reads,
    long ReadAgainBound,
    long Takeovers,
    long Compared,
    long Migrated,
    TimeSpan Setup,
    TimeSpan Backfill,
    TimeSpan Reference,
    TimeSpan Comparison,
    IReadOnlyList<string> Failures)
{
    /// <summary>Documents read more than once: the reads beyond the matches.</summary>
    public long ReadAgain => Reads - Matches;

    /// <summary>True when every invariant held.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>The summary, one figure a line.</summary>
    public IEnumerable<string> SummaryLines()
    {
        var c = CultureInfo.InvariantCulture;
        yield return string.Create(c, $"store:              {Store}");
        yield return string.Create(c, $"documents:          {Documents:N0} ({Matches:N0} matched by the backfill)");
        yield return string.Create(c, $"kills:              {Kills} during the backfill ({Signalled} processes died of SIGKILL)");
        yield return string.Create(c, $"processes started:  {ProcessesStarted}");
        yield return string.Create(c, $"documents read:     {Reads:N0}: {ReadAgain:N0} read again, bound {ReadAgainBound:N0} (one batch per kill)");
        yield return string.Create(c, $"takeovers:          {Takeovers} partitions resumed from a checkpoint after their worker's lease expired");
        yield return string.Create(c, $"compared:           {Compared:N0} documents field by field with the uninterrupted run, {Migrated:N0} migrated");
        yield return string.Create(c, $"setup:              {Setup.TotalSeconds:F1} s");
        yield return string.Create(c, $"backfill + kills:   {Backfill.TotalSeconds:F1} s");
        yield return string.Create(c, $"uninterrupted run:  {Reference.TotalSeconds:F1} s");
        yield return string.Create(c, $"comparison:         {Comparison.TotalSeconds:F1} s");
        yield return Passed ? "result:             PASSED (every invariant held)" : $"result:             FAILED ({Failures.Count} invariant(s))";
    }
}
