using System.Collections.Generic;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;

namespace Seeding.Generators.Descriptors;

/// <summary>
/// Infers one record per collection from all its documents in a file: a field missing somewhere is nullable
/// and omitted when null, integers and floats widen to double, an explicit null makes a typed field nullable,
/// and anything else that disagrees is a conflict reported at the offending value. With <c>exact_types: true</c> (files
/// written by <c>seeding pull</c>) nothing widens and nothing conflicts: a field (or list) whose kinds differ is typed
/// <c>Value</c>, so every document keeps the exact kind it declares (an integer stays an integer beside a double).
/// </summary>
internal sealed class TypeInference
{
    private readonly string _collection;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly bool _exact;
    private readonly Dictionary<string, FieldState> _fields = new(System.StringComparer.Ordinal);
    private readonly List<FieldState> _order = new();

    public TypeInference(string collection, List<DiagnosticInfo> diagnostics, bool exact = false)
    {
        _collection = collection;
        _diagnostics = diagnostics;
        _exact = exact;
    }

    public void Observe(DocumentDraft document)
    {
        foreach (var (name, value, location) in document.Fields)
        {
            if (!_fields.TryGetValue(name, out var state))
            {
                state = new FieldState(name);
                _fields.Add(name, state);
                _order.Add(state);
            }

            state.Present++;
            state.SawConfigured |= value.Kind == ValueKindModel.Configured;
            Merge(state, value, location);
        }
    }

    /// <summary>The fields in order of first appearance, given the number of documents observed.</summary>
    public List<(string YamlName, ClrKind Kind, ClrKind Element, bool Nullable, bool OmitWhenNull)> Result(int documentCount) =>
        _order.Select(state =>
        {
            // A configured (!env) field is left out of the typed data and filled in at run time.
            var absent = state.Present < documentCount || state.SawConfigured;
            var kind = state.Kind ?? ClrKind.Value;
            var nullable = absent || (state.SawNull && kind != ClrKind.Value);
            return (state.Name, kind, state.Element ?? ClrKind.Value, nullable, absent);
        }).ToList();

    private void Merge(FieldState state, ValueModel value, LocationInfo location)
    {
        if (value.Kind == ValueKindModel.Null)
        {
            state.SawNull = true;
            return;
        }

        var kind = KindOf(value);
        var element = kind == ClrKind.List ? ElementOf(value, _exact) : null;
        if (state.Kind is null)
        {
            state.Kind = kind;
            state.Element = element;
            state.FirstTyped = location;
        }
        else if (state.Kind == kind)
        {
            state.Element = kind == ClrKind.List ? MergeElement(state.Element, element, _exact) : null;
        }
        else if (_exact)
        {
            state.Kind = ClrKind.Value;
            state.Element = null;
        }
        else if (state.Kind is ClrKind.Long or ClrKind.Double && kind is ClrKind.Long or ClrKind.Double)
        {
            state.Kind = ClrKind.Double;
        }
        else
        {
            _diagnostics.Add(DiagnosticInfo.Create(
                SeedingDiagnostics.TypeConflict, location, state.Name, _collection, Describe(kind), Describe(state.Kind.Value), state.FirstTyped!.Describe()));
        }
    }

    public static ClrKind KindOf(ValueModel value) => value.Kind switch
    {
        ValueKindModel.Boolean => ClrKind.Boolean,
        ValueKindModel.Integer => ClrKind.Long,
        ValueKindModel.Double => ClrKind.Double,
        ValueKindModel.String or ValueKindModel.Configured => ClrKind.String,
        ValueKindModel.ServerTime or ValueKindModel.Timestamp => ClrKind.Timestamp,
        ValueKindModel.Reference => ClrKind.Reference,
        ValueKindModel.GeoPoint => ClrKind.GeoPoint,
        ValueKindModel.Bytes => ClrKind.Bytes,
        ValueKindModel.Map => ClrKind.Map,
        ValueKindModel.Array => ClrKind.List,
        _ => ClrKind.Value,
    };

    /// <summary>The item type of one list: null while empty, <see cref="ClrKind.Value"/> when mixed or holding nulls or lists.</summary>
    private static ClrKind? ElementOf(ValueModel list, bool exact)
    {
        ClrKind? element = null;
        foreach (var item in list.Items)
        {
            var kind = item.Kind is ValueKindModel.Null or ValueKindModel.Array ? ClrKind.Value : KindOf(item);
            element = MergeElement(element, kind, exact);
        }

        return element;
    }

    private static ClrKind? MergeElement(ClrKind? left, ClrKind? right, bool exact)
    {
        if (left is null || right is null)
        {
            return left ?? right;
        }

        if (left == right)
        {
            return left;
        }

        return !exact && left is ClrKind.Long or ClrKind.Double && right is ClrKind.Long or ClrKind.Double ? ClrKind.Double : ClrKind.Value;
    }

    private static string Describe(ClrKind kind) => kind switch
    {
        ClrKind.String => "a string",
        ClrKind.Long => "an integer",
        ClrKind.Double => "a number",
        ClrKind.Boolean => "a boolean",
        ClrKind.Timestamp => "a timestamp",
        ClrKind.Reference => "a document reference (!ref)",
        ClrKind.GeoPoint => "a geo point (!geo)",
        ClrKind.Bytes => "bytes (!bytes)",
        ClrKind.Map => "a map",
        ClrKind.List => "a list",
        _ => "a value",
    };

    private sealed class FieldState
    {
        public FieldState(string name) => Name = name;

        public string Name { get; }

        public ClrKind? Kind { get; set; }

        public ClrKind? Element { get; set; }

        public bool SawNull { get; set; }

        public bool SawConfigured { get; set; }

        public int Present { get; set; }

        public LocationInfo? FirstTyped { get; set; }
    }
}
