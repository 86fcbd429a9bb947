using System.Globalization;

namespace Seeding.Running;

/// <summary>
/// The words a run's outcomes and actions are said with, one vocabulary for the host's logs and the <c>seeding</c>
/// command's text output: <c>already applied</c>, <c>skip (exists)</c>, <c>no target</c>, never the enum names.
/// </summary>
public static class RunVocabulary
{
    /// <summary>What happened to a seed file: <c>applied</c>, <c>already applied</c>, <c>ensured</c>, <c>planned</c>, <c>failed</c>, <c>cancelled</c>.</summary>
    /// <param name="outcome">The outcome.</param>
    public static string Outcome(SeedOutcome outcome) => outcome switch
    {
        SeedOutcome.Applied => "applied",
        SeedOutcome.AlreadyApplied => "already applied",
        SeedOutcome.Ensured => "ensured",
        SeedOutcome.Planned => "planned",
        SeedOutcome.Failed => "failed",
        SeedOutcome.Cancelled => "cancelled",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    /// <summary>What a document write did or would do: <c>create</c>, <c>skip (exists)</c>, <c>update</c>, <c>skip (unchanged)</c>.</summary>
    /// <param name="action">The action.</param>
    public static string Action(PlanAction action) => action switch
    {
        PlanAction.Create => "create",
        PlanAction.SkipExists => "skip (exists)",
        PlanAction.Update => "update",
        PlanAction.SkipUnchanged => "skip (unchanged)",
        _ => action.ToString().ToLowerInvariant(),
    };

    /// <summary>What a resource step did or would do: <c>create</c>, <c>skip (exists)</c>, <c>update</c>, <c>skip (unchanged)</c>, <c>building</c>, <c>no target</c>.</summary>
    /// <param name="action">The action.</param>
    public static string Action(ResourceAction action) => action switch
    {
        ResourceAction.Create => "create",
        ResourceAction.SkipExists => "skip (exists)",
        ResourceAction.Update => "update",
        ResourceAction.SkipUnchanged => "skip (unchanged)",
        ResourceAction.Building => "building",
        ResourceAction.NoTarget => "no target",
        _ => action.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Where a backfill stands, in one line for the host's logs and the command's plain progress lines, e.g.
    /// <c>12,000 scanned, 6,000 updated, 6,000 skipped, 2,400/s, ETA 00:16 (of 50,000)</c>; <c>ETA unknown</c> when the
    /// store could not count the documents cheaply, <c>done in 00:21</c> at the end, <c>would update</c> in a dry run.
    /// </summary>
    /// <param name="progress">The backfill's progress.</param>
    public static string Progress(BackfillProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var c = CultureInfo.InvariantCulture;
        var updated = progress.DryRun ? "would update" : "updated";
        var counts = string.Create(c, $"{progress.Scanned:N0} scanned, {progress.Updated:N0} {updated}, {progress.Skipped:N0} skipped, {progress.Rate:N0}/s");
        var total = progress.Total is { } t ? string.Create(c, $" (of {t:N0})") : string.Empty;
        return progress.Completed ? $"{counts}, done in {Duration(progress.Elapsed)}"
            : progress.Eta is { } eta ? $"{counts}, ETA {Duration(eta)}{total}"
            : $"{counts}, ETA unknown (the store cannot count documents without reading them)";
    }

    /// <summary>A duration as <c>mm:ss</c>, or <c>h:mm:ss</c> from an hour.</summary>
    /// <param name="time">The duration.</param>
    public static string Duration(TimeSpan time) =>
        time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : time.ToString(@"mm\:ss", CultureInfo.InvariantCulture);

    /// <summary>A resource's kind: <c>topic</c>, <c>subscription</c>, <c>index</c>, <c>field override</c>.</summary>
    /// <param name="kind">The kind.</param>
    public static string Kind(ResourceKind kind) => kind switch
    {
        ResourceKind.Topic => "topic",
        ResourceKind.Subscription => "subscription",
        ResourceKind.Index => "index",
        ResourceKind.FieldOverride => "field override",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
