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
