using System.Globalization;

namespace Seeding.Concurrency.Tests;

/// <summary>
/// The size of one crash campaign: <paramref name="Documents"/> items (three in four matched by the backfill),
/// <paramref name="Kills"/> SIGKILLs during the backfill, batches of <paramref name="Batch"/> documents, each batch
/// commit of a worker process delayed by <paramref name="PaceMilliseconds"/> so the backfill lasts long enough to be
/// killed in. CI runs small sizes (the xunit tests); <c>campaign</c> of <see cref="Program"/> runs any size.
/// </summary>
public sealed record BackfillCrashCampaignSettings(int Documents, int Kills, int Batch, int PaceMilliseconds)
{
    /// <summary>Worker processes running at once (a killed one is replaced).</summary>
    public const int Processes = 3;

    /// <summary>The ids are <c>i000000</c>…: six digits, so their order is their number's.</summary>
    public const int MaxDocuments = 1_000_000;

    /// <summary>The share of the matches by which every spread kill has landed: the rest of the backfill outlasts the last kill.</summary>
    public const double SpreadUpTo = 0.8;

    /// <summary>The shortest wait before each kill, in milliseconds.</summary>
    public int MinKillGapMilliseconds { get; init; } = 100;

    /// <summary>The longest wait before each kill, in milliseconds (each wait is drawn at random between the two).</summary>
    public int MaxKillGapMilliseconds { get; init; } = 300;

    /// <summary>
    /// True (the default): the kills are spread over the backfill, each at a random point of its progress (between 0 and
    /// 80% of the matches updated in committed batches) and then after a random 0 to <see cref="MaxKillGapMilliseconds"/>
    /// (any moment of a batch), however fast the store is, so they hit workers that hold partitions. False: one after another, each after a random gap (<see cref="MinKillGapMilliseconds"/> to
    /// <see cref="MaxKillGapMilliseconds"/>): they come early, and on a loaded machine mostly hit replacements still starting.
    /// </summary>
    public bool SpreadKills { get; init; } = true;

    /// <summary>The documents the backfill matches (and so must read at least once).</summary>
    public int Matches => BackfillCrashScenario.MatchesOf(Documents);

    /// <summary>The most documents read again: one batch per kill, since each process works on one partition at a time.</summary>
    public long ReadAgainBound(int kills) => (long)kills * Batch;

    /// <summary>
    /// How long any one wait of the campaign may last (the partitions to appear, a killed process to end, every worker to
    /// finish), scaled with the size: two minutes, plus every batch done by one worker alone at its pace and 200 ms of
    /// store time, plus 5 s per kill (a replacement starts and waits out the dead worker's 2 s lease).
    /// </summary>
    public TimeSpan Patience => TimeSpan.FromMinutes(2)
        + TimeSpan.FromMilliseconds((Matches / (double)Batch + 1) * (PaceMilliseconds + 200))
        + TimeSpan.FromSeconds(5 * Kills);

    /// <summary>Throws <see cref="ArgumentException"/> naming the value that cannot be run and what to give instead.</summary>
    public void Validate()
    {
        Require(Documents is >= 4 and <= MaxDocuments, $"--documents {Documents}: give 4 to {MaxDocuments:N0} (ids have six digits).");
        Require(Kills >= 0, $"--kills {Kills}: give 0 or more.");
        Require(Batch is >= 1 and <= 499, $"--batch {Batch}: give 1 to 499 (a batch and its checkpoint fit one commit of 500 writes).");
        Require(PaceMilliseconds >= 0 && PaceMilliseconds <= BackfillCrashScenario.Lease.TotalMilliseconds / 4,
            $"--pace-ms {PaceMilliseconds}: give 0 to {BackfillCrashScenario.Lease.TotalMilliseconds / 4} (a batch renews its partition's {BackfillCrashScenario.Lease.TotalSeconds} s lease; a slower one is taken over and read again although no worker died).");
        Require(MinKillGapMilliseconds >= 0 && MinKillGapMilliseconds <= MaxKillGapMilliseconds,
            $"--kill-gap-ms {MinKillGapMilliseconds}-{MaxKillGapMilliseconds}: give MIN-MAX with 0 <= MIN <= MAX.");
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Documents:N0} documents ({Matches:N0} to backfill), {Kills} kills {(SpreadKills ? "spread over the backfill's progress" : $"every {MinKillGapMilliseconds}-{MaxKillGapMilliseconds} ms")}, {Processes} processes, batches of {Batch}, {PaceMilliseconds} ms pace per batch");

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
