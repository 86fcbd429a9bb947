using System.ComponentModel;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Definitions;

/// <summary>
/// Typed reads of document fields for generated records' <c>FromFields</c> methods: no reflection, and a message
/// naming the field and the kinds when the stored data does not fit the record.
/// </summary>
/// <remarks>Generated code only, so hidden from IntelliSense; public because generated code compiles in the service's assembly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FieldReader
{
    /// <summary>A required string field.</summary>
    public static string String(IReadOnlyDictionary<string, Value> fields, string name) => Required(fields, name, ValueKind.String).AsString();

    /// <summary>An optional string field (missing or null gives null).</summary>
    public static string? OptionalString(IReadOnlyDictionary<string, Value> fields, string name) => Optional(fields, name, ValueKind.String)?.AsString();

    /// <summary>A required integer field.</summary>
    public static long Integer(IReadOnlyDictionary<string, Value> fields, string name) => Required(fields, name, ValueKind.Integer).AsInteger();

    /// <summary>An optional integer field.</summary>
    public static long? OptionalInteger(IReadOnlyDictionary<string, Value> fields, string name) => Optional(fields, name, ValueKind.Integer)?.AsInteger();

    /// <summary>A required double field (integers widen).</summary>
    public static double Double(IReadOnlyDictionary<string, Value> fields, string name) => RequiredNumber(fields, name).AsDouble();

    /// <summary>An optional double field (integers widen).</summary>
    public static double? OptionalDouble(IReadOnlyDictionary<string, Value> fields, string name) =>
        fields.TryGetValue(name, out var v) && !v.IsNull ? RequiredNumber(fields, name).AsDouble() : null;

    /// <summary>A required boolean field.</summary>
    public static bool Boolean(IReadOnlyDictionary<string, Value> fields, string name) => Required(fields, name, ValueKind.Boolean).AsBoolean();

    /// <summary>An optional boolean field.</summary>
    public static bool? OptionalBoolean(IReadOnlyDictionary<string, Value> fields, string name) => Optional(fields, name, ValueKind.Boolean)?.AsBoolean();

    /// <summary>A required timestamp field.</summary>
    public static Timestamp Timestamp(IReadOnlyDictionary<string, Value> fields, string name) => Required(fields, name, ValueKind.Timestamp).AsTimestamp();

    /// <summary>An optional timestamp field.</summary>
    public static Timestamp? OptionalTimestamp(IReadOnlyDictionary<string, Value> fields, string name) => Optional(fields, name, ValueKind.Timestamp)?.AsTimestamp();

    /// <summary>A required reference field.</summary>
    public static DocumentPath Reference(IReadOnlyDictionary<string, Value> fields, string name) => Required(fields, name, ValueKind.Reference).AsReference();

    /// <summary>An optional reference field.</summary>
    public static DocumentPath? OptionalReference(IReadOnlyDictionary<string, Value> fields, string name) => Optional(fields, name, ValueKind.Reference)?.AsReference();

    /// <summary>A required geo point field.</summary>
    public static GeoPoint GeoPoint(IReadOnlyDictionary<string, Value> fields, string name) => Required(fields, name, ValueKind.GeoPoint).AsGeoPoint();

    /// <summary>An optional geo point field.</summary>
    public static GeoPoint? OptionalGeoPoint(IReadOnlyDictionary<string, Value> fields, string name) => Optional(fields, name, ValueKind.GeoPoint)?.AsGeoPoint();

    /// <summary>A required bytes field.</summary>
    public static ReadOnlyMemory<byte> Bytes(IReadOnlyDictionary<string, Value> fields, string name) => Required(fields, name, ValueKind.Bytes).AsBytes();

    /// <summary>An optional bytes field.</summary>
    public static ReadOnlyMemory<byte>? OptionalBytes(IReadOnlyDictionary<string, Value> fields, string name) => Optional(fields, name, ValueKind.Bytes)?.AsBytes();

    /// <summary>A required map field.</summary>
    public static IReadOnlyDictionary<string, Value> Map(IReadOnlyDictionary<string, Value> fields, string name) => Required(fields, name, ValueKind.Map).AsMap();

    /// <summary>An optional map field.</summary>
    public static IReadOnlyDictionary<string, Value>? OptionalMap(IReadOnlyDictionary<string, Value> fields, string name) => Optional(fields, name, ValueKind.Map)?.AsMap();

    /// <summary>A required array field, each item converted by <paramref name="convert"/>.</summary>
    public static IReadOnlyList<T> Array<T>(IReadOnlyDictionary<string, Value> fields, string name, Func<Value, T> convert) =>
        Required(fields, name, ValueKind.Array).AsArray().Select(convert).ToArray();

    /// <summary>An optional array field, each item converted by <paramref name="convert"/>.</summary>
    public static IReadOnlyList<T>? OptionalArray<T>(IReadOnlyDictionary<string, Value> fields, string name, Func<Value, T> convert) =>
        Optional(fields, name, ValueKind.Array)?.AsArray().Select(convert).ToArray();

    /// <summary>Any value, as stored (missing gives <see cref="Value.Null"/>).</summary>
    public static Value Any(IReadOnlyDictionary<string, Value> fields, string name) => fields.TryGetValue(name, out var v) ? v : Value.Null;

    private static Value Required(IReadOnlyDictionary<string, Value> fields, string name, ValueKind kind)
    {
        if (!fields.TryGetValue(name, out var value))
        {
            throw new FormatException($"Field '{name}' is missing; the record needs a {kind} value there.");
        }

        return value.Kind == kind
            ? value
            : throw new FormatException($"Field '{name}' holds a {value.Kind} value ({value}); the record needs a {kind}.");
    }

    private static Value? Optional(IReadOnlyDictionary<string, Value> fields, string name, ValueKind kind) =>
        fields.TryGetValue(name, out var value) && !value.IsNull ? Required(fields, name, kind) : null;

    private static Value RequiredNumber(IReadOnlyDictionary<string, Value> fields, string name)
    {
        var value = fields.TryGetValue(name, out var v) ? v : throw new FormatException($"Field '{name}' is missing; the record needs a number there.");
        return value.Kind is ValueKind.Double or ValueKind.Integer
            ? value
            : throw new FormatException($"Field '{name}' holds a {value.Kind} value ({value}); the record needs a number.");
    }
}
