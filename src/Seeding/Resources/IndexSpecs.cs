namespace Seeding.Resources;

/// <summary>How an index orders a field (YAML <c>ascending</c>, <c>descending</c>, <c>contains</c>).</summary>
public enum IndexOrder
{
    /// <summary>Ascending order (<c>ASCENDING</c>).</summary>
    Ascending,

    /// <summary>Descending order (<c>DESCENDING</c>).</summary>
    Descending,

    /// <summary>Array membership, for <c>array-contains</c> queries (<c>arrayConfig: CONTAINS</c>).</summary>
    Contains,
}

/// <summary>Which queries an index serves (YAML <c>collection</c>, <c>collection_group</c>).</summary>
public enum IndexScope
{
    /// <summary>Queries on one collection (<c>COLLECTION</c>).</summary>
    Collection,

    /// <summary>Collection group queries across every collection with that id (<c>COLLECTION_GROUP</c>).</summary>
    CollectionGroup,
}

/// <summary>One field of a composite index.</summary>
/// <param name="FieldPath">The field path, dotted for nested fields, e.g. <c>tenant_id</c> or <c>profile.email</c>.</param>
/// <param name="Order">How the index orders it.</param>
public sealed record IndexField(string FieldPath, IndexOrder Order);

/// <summary>A Firestore composite index, declared in a pre-deploy seed file.</summary>
/// <param name="CollectionGroup">The collection id the index covers, e.g. <c>users</c> (the last segment of a collection path).</param>
/// <param name="Scope">Which queries it serves.</param>
/// <param name="Fields">Its fields in order; at least two (Firestore indexes single fields on its own).</param>
public sealed record IndexSpec(string CollectionGroup, IndexScope Scope, IReadOnlyList<IndexField> Fields)
{
    /// <summary>True when <paramref name="other"/> is the same index: same collection group, scope and fields in the same order.</summary>
    public bool SameIndexAs(IndexSpec other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(CollectionGroup, other.CollectionGroup, StringComparison.Ordinal) && Scope == other.Scope && Fields.SequenceEqual(other.Fields);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{CollectionGroup} ({string.Join(", ", Fields.Select(f => $"{f.FieldPath} {f.Order.ToString().ToLowerInvariant()}"))}){(Scope == IndexScope.CollectionGroup ? " collection group" : string.Empty)}";
}

/// <summary>One single-field index of a field override.</summary>
/// <param name="Order">How the index orders the field.</param>
/// <param name="Scope">Which queries it serves.</param>
public sealed record FieldIndex(IndexOrder Order, IndexScope Scope);

/// <summary>
/// A Firestore single-field override, declared in a pre-deploy seed file: the field's own indexes and its TTL policy.
/// Settings left null are not declared and never changed.
/// </summary>
/// <param name="CollectionGroup">The collection id, e.g. <c>sessions</c>.</param>
/// <param name="FieldPath">The field path, e.g. <c>expires_at</c>.</param>
public sealed record FieldOverrideSpec(string CollectionGroup, string FieldPath)
{
    /// <summary><c>ttl</c>: the setting's name in the seed format.</summary>
    public const string TtlSetting = "ttl";

    /// <summary><c>indexes</c>: the setting's name in the seed format.</summary>
    public const string IndexesSetting = "indexes";

    /// <summary>
    /// The field's single-field indexes: null keeps what the field has (the database's automatic indexing unless
    /// overridden before); empty turns its single-field indexes off.
    /// </summary>
    public IReadOnlyList<FieldIndex>? Indexes { get; init; }

    /// <summary>True turns a TTL policy on for the field (documents expire at its timestamp), false turns it off, null leaves it.</summary>
    public bool? Ttl { get; init; }

    /// <summary>True when <paramref name="existing"/> already holds every declared setting (indexes compared as sets).</summary>
    public bool HeldBy(FieldOverrideSpec existing) => DifferencesFrom(existing).Count == 0;

    /// <summary>
    /// The declared settings whose value differs in <paramref name="existing"/> (<c>ttl</c>, then <c>indexes</c>,
    /// compared as sets), each with its live and declared value: the one rule a run and a diff share.
    /// </summary>
    public IReadOnlyList<SettingDifference> DifferencesFrom(FieldOverrideSpec existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var differences = new List<SettingDifference>(2);
        // A field without a TTL policy reads as ttl: false.
        if (Ttl is { } ttl && (existing.Ttl ?? false) != ttl)
        {
            differences.Add(new SettingDifference(TtlSetting, SettingText.Boolean(existing.Ttl ?? false), SettingText.Boolean(ttl)));
        }

        if (Indexes is not null && !(existing.Indexes is { } present && present.ToHashSet().SetEquals(Indexes)))
        {
            differences.Add(new SettingDifference(IndexesSetting, SettingText.FieldIndexes(existing.Indexes), SettingText.FieldIndexes(Indexes)));
        }

        return differences;
    }

    /// <inheritdoc />
    public override string ToString() => $"{CollectionGroup}.{FieldPath}";
}
