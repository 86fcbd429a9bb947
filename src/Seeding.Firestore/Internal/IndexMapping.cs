using Google.Protobuf.WellKnownTypes;
using Seeding.Resources;
using Admin = Seeding.Firestore.Protocol.Admin;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Turns Seeding's index and field-override specs into Firestore Admin API messages and back. Whatever Seeding cannot
/// declare (recursive scope, vector and search fields, non-Firestore API scopes) is left out rather than guessed at.
/// </summary>
internal static class IndexMapping
{
    /// <summary>The document-name field Firestore appends to every composite index it stores.</summary>
    public const string NameField = "__name__";

    public static Admin.Index ToProto(IndexSpec index)
    {
        var proto = new Admin.Index { QueryScope = ToProto(index.Scope) };
        proto.Fields.AddRange(index.Fields.Select(f => ToProto(f.FieldPath, f.Order)));
        return proto;
    }

    /// <summary>The index as declared, or null when it is not one Seeding can declare (so it never matches a declared one).</summary>
    public static IndexState? FromProto(string collectionGroup, Admin.Index index)
    {
        if (index.ApiScope != Admin.Index.Types.ApiScope.AnyApi || FromProto(index.QueryScope) is not { } scope)
        {
            return null;
        }

        var fields = index.Fields.ToList();
        // Firestore stores every composite index with __name__ appended (ordered like the last declared field); the
        // declaration never names it, so it is dropped for comparison.
        if (fields.Count > 0 && fields[^1].FieldPath == NameField)
        {
            fields.RemoveAt(fields.Count - 1);
        }

        var mapped = new List<IndexField>(fields.Count);
        foreach (var field in fields)
        {
            // The API writes field paths quoted where a name needs it (`tenant-id`); a declaration holds them unquoted.
            if (FromProto(field) is not { } order || FieldPaths.Unquoted(field.FieldPath) is not { } path)
            {
                return null;
            }

            mapped.Add(new IndexField(path, order));
        }

        var state = index.State switch
        {
            Admin.Index.Types.State.Ready => IndexBuildState.Ready,
            Admin.Index.Types.State.NeedsRepair => IndexBuildState.NeedsRepair,
            // CREATING, and an unspecified state: not known to serve queries yet.
            _ => IndexBuildState.Creating,
        };
        return new IndexState(new IndexSpec(collectionGroup, scope, mapped), state);
    }

    /// <summary>
    /// A field's effective configuration. A field without an override of its own reports the indexes it inherits
    /// (<c>uses_ancestor_config</c>, normally the database's automatic ascending, descending and array-contains indexes):
    /// those are the indexes its queries get, so they are what a declaration is compared with. No index config at all
    /// maps to null (unknown). TTL counts as on while its state is ACTIVE or CREATING; NEEDS_REPAIR counts as off, so a
    /// declared <c>ttl: true</c> asks for it again.
    /// </summary>
    public static FieldOverrideSpec FromProto(string collectionGroup, string fieldPath, Admin.Field field)
    {
        List<FieldIndex>? indexes = null;
        if (field.IndexConfig is { } config)
        {
            indexes = [];
            foreach (var index in config.Indexes)
            {
                // A single-field index has the field itself as its one field.
                if (FromProto(index.QueryScope) is { } scope && index.Fields.Count == 1 && FromProto(index.Fields[0]) is { } order)
                {
                    indexes.Add(new FieldIndex(order, scope));
                }
            }
        }

        var ttl = field.TtlConfig?.State is Admin.Field.Types.TtlConfig.Types.State.Active or Admin.Field.Types.TtlConfig.Types.State.Creating;
        return new FieldOverrideSpec(collectionGroup, fieldPath) { Indexes = indexes, Ttl = ttl };
    }

    /// <summary>
    /// A listed field as a declaration states it (<c>seeding pull</c>): its indexes only when it overrides them
    /// (<c>uses_ancestor_config</c> false; inherited ones are left out), <c>ttl: true</c> only while a TTL policy is
    /// ACTIVE or CREATING. Null when that leaves nothing to declare.
    /// </summary>
    public static FieldOverrideSpec? Declared(string collectionGroup, string fieldPath, Admin.Field field)
    {
        var effective = FromProto(collectionGroup, fieldPath, field);
        var declared = effective with
        {
            Indexes = field.IndexConfig is { UsesAncestorConfig: false } ? effective.Indexes : null,
            Ttl = effective.Ttl == true ? true : null,
        };
        return declared.Indexes is null && declared.Ttl is null ? null : declared;
    }

    /// <summary>
    /// The UpdateField request for the declared settings of <paramref name="spec"/> only: the mask names
    /// <c>index_config</c> and/or <c>ttl_config</c>, so undeclared settings are left as they are. Null when nothing is declared.
    /// </summary>
    public static Admin.UpdateFieldRequest? ToUpdate(FieldOverrideSpec spec, string fieldName)
    {
        var request = new Admin.UpdateFieldRequest { Field = new Admin.Field { Name = fieldName }, UpdateMask = new FieldMask() };
        if (spec.Indexes is { } indexes)
        {
            // An empty list is an explicit config with no indexes: the field's single-field indexes are turned off.
            var config = new Admin.Field.Types.IndexConfig();
            foreach (var index in indexes.Distinct())
            {
                var proto = new Admin.Index { QueryScope = ToProto(index.Scope) };
                proto.Fields.Add(ToProto(spec.FieldPath, index.Order));
                config.Indexes.Add(proto);
            }

            request.Field.IndexConfig = config;
            request.UpdateMask.Paths.Add("index_config");
        }

        if (spec.Ttl is { } ttl)
        {
            // A present ttl_config turns the policy on; absent under the mask turns it off.
            request.Field.TtlConfig = ttl ? new Admin.Field.Types.TtlConfig() : null;
            request.UpdateMask.Paths.Add("ttl_config");
        }

        return request.UpdateMask.Paths.Count == 0 ? null : request;
    }

    // A declared (unquoted) path, sent as the API reads it: names that are not simple identifiers quoted.
    private static Admin.Index.Types.IndexField ToProto(string fieldPath, IndexOrder order)
    {
        var quoted = FieldPaths.Quoted(fieldPath);
        return order switch
        {
            IndexOrder.Ascending => new() { FieldPath = quoted, Order = Admin.Index.Types.IndexField.Types.Order.Ascending },
            IndexOrder.Descending => new() { FieldPath = quoted, Order = Admin.Index.Types.IndexField.Types.Order.Descending },
            IndexOrder.Contains => new() { FieldPath = quoted, ArrayConfig = Admin.Index.Types.IndexField.Types.ArrayConfig.Contains },
            _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown index order."),
        };
    }

    private static Admin.Index.Types.QueryScope ToProto(IndexScope scope) => scope switch
    {
        IndexScope.Collection => Admin.Index.Types.QueryScope.Collection,
        IndexScope.CollectionGroup => Admin.Index.Types.QueryScope.CollectionGroup,
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown index scope."),
    };

    private static IndexScope? FromProto(Admin.Index.Types.QueryScope scope) => scope switch
    {
        Admin.Index.Types.QueryScope.Collection => IndexScope.Collection,
        Admin.Index.Types.QueryScope.CollectionGroup => IndexScope.CollectionGroup,
        _ => null,
    };

    private static IndexOrder? FromProto(Admin.Index.Types.IndexField field) => field.ValueModeCase switch
    {
        Admin.Index.Types.IndexField.ValueModeOneofCase.Order when field.Order == Admin.Index.Types.IndexField.Types.Order.Ascending => IndexOrder.Ascending,
        Admin.Index.Types.IndexField.ValueModeOneofCase.Order when field.Order == Admin.Index.Types.IndexField.Types.Order.Descending => IndexOrder.Descending,
        Admin.Index.Types.IndexField.ValueModeOneofCase.ArrayConfig when field.ArrayConfig == Admin.Index.Types.IndexField.Types.ArrayConfig.Contains => IndexOrder.Contains,
        _ => null,
    };
}
