using Seeding.Definitions;

namespace Seeding.Running;

/// <summary>
/// Where a backfill stands: reported to <see cref="SeedRunnerOptions.BackfillProgress"/> at most every
/// <see cref="SeedRunnerOptions.BackfillProgressInterval"/> while it runs, and once when it ends (<see cref="Completed"/>).
/// A dry run reports what it would update.
/// </summary>
public sealed record BackfillProgress
{
    /// <summary>The service.</summary>
    public required string Service { get; init; }

    /// <summary>The migration the backfill belongs to.</summary>
    public required SeedDefinition Seed { get; init; }

    /// <summary>The step, as in reports: its verb and collection (e.g. <c>backfill users</c>).</summary>
    public required string Step { get; init; }

    /// <summary>The YAML line of the step.</summary>
    public int Line { get; init; }

    /// <summary>Documents read so far.</summary>
    public long Scanned { get; init; }

    /// <summary>Documents written (or, in a dry run, that would be written) so far.</summary>
    public long Updated { get; init; }

    /// <summary>Documents read and left alone: they did not match the step's conditions.</summary>
    public long Skipped { get; init; }

    /// <summary>How many documents the backfill reads in all, when the store counted them cheaply before it started; null when unknown.</summary>
    public long? Total { get; init; }

    /// <summary>Time since the backfill started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>True in a dry run: nothing is written.</summary>
    public bool DryRun { get; init; }

    /// <summary>True in the last report of a backfill that finished.</summary>
    public bool Completed { get; init; }

    /// <summary>Documents read per second, on average since the start.</summary>
    public double Rate => Elapsed > TimeSpan.Zero ? Scanned / Elapsed.TotalSeconds : 0;

    /// <summary>The time left at <see cref="Rate"/>, when <see cref="Total"/> is known and the rate is not zero; null otherwise.</summary>
    public TimeSpan? Eta => Completed ? TimeSpan.Zero
        : Total is { } total && Rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - Scanned) / Rate)
        : null;
}
