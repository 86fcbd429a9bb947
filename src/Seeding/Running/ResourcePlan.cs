namespace Seeding.Running;

/// <summary>What kind of resource a resource step ensures.</summary>
public enum ResourceKind
{
    /// <summary>A Pub/Sub topic.</summary>
    Topic,

    /// <summary>A Pub/Sub subscription.</summary>
    Subscription,

    /// <summary>A Firestore composite index.</summary>
    Index,

    /// <summary>A Firestore single-field override (indexes and TTL policy of one field).</summary>
    FieldOverride,
}

/// <summary>What a resource step needs to be carried out, besides the document store.</summary>
public enum ResourceTarget
{
    /// <summary>A Pub/Sub project or emulator (<see cref="SeedRunnerOptions.PubSub"/>), for topics and subscriptions; recorded in history as <c>pubsub</c>.</summary>
    PubSub,

    /// <summary>A store that manages Firestore indexes (<see cref="Resources.IIndexAdmin"/>), for indexes and field overrides; never left for a later run (the store that holds the history either manages indexes or never will).</summary>
    Indexes,
}

/// <summary>What a run did (or, in a dry run, would do) to one resource.</summary>
public enum ResourceAction
{
    /// <summary>The resource was absent and is created (an index: created and built, when the run waited for it).</summary>
    Create,

    /// <summary>The resource exists and is left alone (a migration never changes what exists; another runner may have created it).</summary>
    SkipExists,

    /// <summary>The resource exists and the declared settings that differed are written (bootstrap files; field overrides).</summary>
    Update,

    /// <summary>The resource exists and already holds the declared settings.</summary>
    SkipUnchanged,

    /// <summary>An index build (or field change) was started, or found under way, and is not finished: queries that need it fail until it is.</summary>
    Building,

    /// <summary>Nothing was done: this run has no target for the resource (<see cref="PlannedResource.Note"/> says why).</summary>
    NoTarget,
}

/// <summary>One resource line of a plan: a resource, what happens to it, and the YAML line that declares it.</summary>
/// <param name="Kind">What kind of resource it is.</param>
/// <param name="Name">Its name: a topic or subscription id, an index as <c>users (tenant_id ascending, email ascending)</c>, a field as <c>users.expires_at</c>.</param>
/// <param name="Action">What happens to it.</param>
/// <param name="Line">The 1-based YAML line of the step.</param>
public sealed record PlannedResource(ResourceKind Kind, string Name, ResourceAction Action, int Line)
{
    /// <summary>
    /// What a reader of the plan should know: the settings an update writes, a setting that differs but cannot
    /// change, the build operation, or why there is no target. Null when there is nothing to add.
    /// </summary>
    public string? Note { get; init; }
}
