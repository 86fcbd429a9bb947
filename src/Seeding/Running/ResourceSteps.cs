using Seeding.Definitions;
using Seeding.Resources;

namespace Seeding.Running;

/// <summary>What the runner's parts say alike about resource steps: their kind, name, target and report line.</summary>
internal static class ResourceSteps
{
    // A create answered ALREADY_EXISTS: another runner created it, or an earlier attempt of this same call whose
    // answer was lost (the client retries) did.
    public const string AlreadyExisted = "already existed (created by another runner, or by an earlier attempt of this call)";

    /// <summary>
    /// True when a later run on the same store may have the target this one lacked, so a migration records it as left
    /// without one (<see cref="MigrationStatus.ResourcesWithoutTarget"/>) for that run to finish. Pub/Sub is configured per
    /// process; indexes belong to the database that also holds the history, and a store without an index API (SQLite,
    /// the Firestore emulator) never gains one, so nothing is left for a later run.
    /// </summary>
    public static bool LaterRunMayHave(ResourceTarget target) => target == ResourceTarget.PubSub;

    /// <summary>Which target a resource kind needs.</summary>
    public static ResourceTarget TargetOf(ResourceKind kind) =>
        kind is ResourceKind.Topic or ResourceKind.Subscription ? ResourceTarget.PubSub : ResourceTarget.Indexes;

    public static ResourceKind KindOf(ResourceStep step) => step switch
    {
        TopicStep => ResourceKind.Topic,
        SubscriptionStep => ResourceKind.Subscription,
        IndexStep => ResourceKind.Index,
        FieldOverrideStep => ResourceKind.FieldOverride,
        _ => throw new NotSupportedException($"line {step.Line}: resource step '{step.Verb}' needs a newer Seeding runtime."),
    };

    public static string NameOf(ResourceStep step) => step switch
    {
        IndexStep index => index.Spec.ToString(),
        _ => step.Collection,
    };

    // A dry run's create: remembered for later steps, reported as created.
    public static bool Planned<T>(IDictionary<string, T> planned, string name, T spec)
    {
        planned[name] = spec;
        return true;
    }

    public static PlannedResource Planned(ResourceStep step, ResourceKind kind, ResourceAction action, string? note) =>
        new(kind, NameOf(step), action, step.Line) { Note = note };

    public static void RecordMetrics(string service, SeedReport report)
    {
        foreach (var group in report.Resources.GroupBy(r => (r.Kind, r.Action)))
        {
            SeedingTelemetry.Resources.Add(group.Count(), new("seeding.service", service), new("seeding.kind", group.Key.Kind.ToString()), new("seeding.action", group.Key.Action.ToString()));
        }
    }
}
