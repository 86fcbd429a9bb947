using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Running;

/// <summary>Where a migration stands in one store.</summary>
public enum MigrationState
{
    /// <summary>Not in history: the next run applies it.</summary>
    Pending,

    /// <summary>In history with the checksum the file has now.</summary>
    Applied,

    /// <summary>In history with a different checksum: the file changed after it was applied.</summary>
    Drifted,
}

/// <summary>The state of one migration in one store.</summary>
/// <param name="Seed">The migration.</param>
/// <param name="State">Pending, applied or drifted.</param>
/// <param name="AppliedChecksum">The checksum recorded when it was applied, if it was.</param>
/// <param name="AppliedAt">When it was applied, if it was.</param>
public sealed record MigrationStatus(SeedDefinition Seed, MigrationState State, string? AppliedChecksum, Timestamp? AppliedAt)
{
    /// <summary>
    /// The targets an applied migration's resource steps had none of when it was applied (its documents are done): the
    /// next run that has such a target ensures those steps (creates what is absent) and clears them from here. Empty
    /// when nothing is left, and for pending migrations. Only Pub/Sub is ever left for a later run: indexes belong to
    /// the database that holds this history, and a store without an index API never gains one.
    /// </summary>
    public IReadOnlyList<ResourceTarget> ResourcesWithoutTarget { get; init; } = [];
}

/// <summary>
/// The history of applied migrations: one document per service, phase and migration in the collection
/// <see cref="Collection"/>, created with a create-only precondition so it is written exactly once.
/// </summary>
internal static partial class MigrationHistory
{
    /// <summary>The collection that holds the history.</summary>
    public const string Collection = "seeding_history";

    /// <summary>The field listing the targets (<c>pubsub</c>, <c>indexes</c>) a migration's resource steps had none of; absent or empty when none.</summary>
    public const string WithoutTargetField = "resources_without_target";

    /// <summary>The history document of a migration of a service.</summary>
    public static DocumentPath PathOf(string service, SeedDefinition migration) =>
        DocumentPath.Create(Collection, $"{service}:{migration.Phase.ToString().ToLowerInvariant()}:{migration.Id}");

    /// <summary>Reads a migration's state from its history snapshot.</summary>
    public static MigrationStatus StatusOf(SeedDefinition migration, DocumentSnapshot history)
    {
        if (!history.Exists)
        {
            return new MigrationStatus(migration, MigrationState.Pending, null, null);
        }

        var checksum = FieldReader.OptionalString(history.Fields, "checksum");
        var appliedAt = FieldReader.OptionalTimestamp(history.Fields, "applied_at");
        var state = string.Equals(checksum, migration.Checksum, StringComparison.Ordinal) ? MigrationState.Applied : MigrationState.Drifted;
        return new MigrationStatus(migration, state, checksum, appliedAt) { ResourcesWithoutTarget = TargetsOf(history) };
    }

    /// <summary>The history document recorded when a migration has been applied.</summary>
    /// <param name="service">The service.</param>
    /// <param name="report">The attempt that applied it; its write window dates what it wrote.</param>
    /// <param name="lockToken">The fencing token of the lease it was applied under.</param>
    /// <param name="earlierAttemptStarted">
    /// When an earlier, interrupted attempt at this migration may have written: a store time no later than its first
    /// write. The recorded window then starts there, so a revert also deletes what that attempt created.
    /// </param>
    public static DocumentWrite Record(string service, SeedReport report, long lockToken, Timestamp? earlierAttemptStarted = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["service"] = Value.String(service),
            ["phase"] = Value.String(report.Seed.Phase.ToString().ToLowerInvariant()),
            ["migration"] = Value.String(report.Seed.Id),
            ["checksum"] = Value.String(report.Seed.Checksum),
            ["source"] = Value.String(report.Seed.SourcePath),
            ["applied_at"] = Value.ServerTimestamp,
            ["created"] = Value.Integer(report.Created),
            ["skipped"] = Value.Integer(report.Skipped),
            ["updated"] = Value.Integer(report.Updated),
            ["duration_ms"] = Value.Integer((long)report.Duration.TotalMilliseconds),
            ["host"] = Value.String(Environment.MachineName),
            ["lock_token"] = Value.Integer(lockToken),
        };
        var withoutTarget = report.Resources.Where(r => r.Action == ResourceAction.NoTarget).Select(r => SeedRunner.TargetOf(r.Kind)).Where(SeedRunner.LaterRunMayHave).Distinct().Order().ToArray();
        if (withoutTarget.Length > 0)
        {
            fields[WithoutTargetField] = TargetsValue(withoutTarget);
        }
        if (earlierAttemptStarted is { } started)
        {
            // Every attempt wrote after `started`, and none after this record commits (the last one under this lease,
            // whose renewal commits with it): when this attempt wrote nothing itself, the record's server time ends it.
            fields["first_write_at"] = Value.Timestamp(started);
            fields["last_write_at"] = report.WriteWindow is { } own ? Value.Timestamp(own.Last) : Value.ServerTimestamp;
            fields["interrupted_attempt_started_at"] = Value.Timestamp(started);
        }
        else if (report.WriteWindow is { } window)
        {
            fields["first_write_at"] = Value.Timestamp(window.First);
            fields["last_write_at"] = Value.Timestamp(window.Last);
        }

        return DocumentWrite.Create(PathOf(service, report.Seed), fields);
    }

    /// <summary>The value of <see cref="WithoutTargetField"/> for these targets.</summary>
    public static Value TargetsValue(IEnumerable<ResourceTarget> targets) => Value.Array(targets.Select(t => Value.String(NameOf(t))));

    private static string NameOf(ResourceTarget target) => target == ResourceTarget.PubSub ? "pubsub" : "indexes";

    // Names this runtime does not know (from a newer one) are left out rather than failing the status.
    private static IReadOnlyList<ResourceTarget> TargetsOf(DocumentSnapshot history) =>
        history.Fields.TryGetValue(WithoutTargetField, out var value) && value.Kind == ValueKind.Array
            ? value.AsArray()
                .Where(v => v.Kind == ValueKind.String)
                .SelectMany(v => Enum.GetValues<ResourceTarget>().Where(t => NameOf(t) == v.AsString()))
                .Distinct()
                .ToArray()
            : [];
}
