using System;
using System.Globalization;
using System.Linq;
using Seeding.Generators.Model;

namespace Seeding.Generators.Emit;

/// <summary>C# types and expressions for field values: typed literals for record arguments, Value expressions for untyped data.</summary>
internal static class ValueExpressions
{
    public const string ValueType = "global::Seeding.Values.Value";
    public const string FieldsType = "global::System.Collections.Generic.IReadOnlyDictionary<string, global::Seeding.Values.Value>";
    private const string DictionaryType = "global::System.Collections.Generic.Dictionary<string, global::Seeding.Values.Value>";
    private static readonly long UnixEpochTicks = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    public static string TypeName(ClrKind kind, ClrKind element) => kind switch
    {
        ClrKind.String => "string",
        ClrKind.Long => "long",
        ClrKind.Double => "double",
        ClrKind.Boolean => "bool",
        ClrKind.Timestamp => "global::Seeding.Values.Timestamp",
        ClrKind.Reference => "global::Seeding.Documents.DocumentPath",
        ClrKind.GeoPoint => "global::Seeding.Values.GeoPoint",
        ClrKind.Bytes => "global::System.ReadOnlyMemory<byte>",
        ClrKind.Map => FieldsType,
        ClrKind.List => $"global::System.Collections.Generic.IReadOnlyList<{TypeName(element, ClrKind.Value)}>",
        _ => ValueType,
    };

    public static string TypeName(FieldModel field) => TypeName(field.Kind, field.ElementKind) + (field.Nullable ? "?" : string.Empty);

    public static bool IsValueType(ClrKind kind) => kind is ClrKind.Long or ClrKind.Double or ClrKind.Boolean or ClrKind.Timestamp or ClrKind.GeoPoint or ClrKind.Bytes;

    /// <summary>A literal of the property's C# type holding <paramref name="value"/>.</summary>
    public static string Typed(ClrKind kind, ClrKind element, ValueModel value)
    {
        if (value.Kind == ValueKindModel.Absent || (value.Kind == ValueKindModel.Null && kind != ClrKind.Value))
        {
            return "null";
        }

        return kind switch
        {
            ClrKind.String => CSharpText.Literal(value.Text),
            ClrKind.Long => CSharpText.Long(long.Parse(value.Text, CultureInfo.InvariantCulture)),
            ClrKind.Double => Double(value.Text),
            ClrKind.Boolean => value.Text,
            ClrKind.Timestamp => Timestamp(value),
            ClrKind.Reference => $"global::Seeding.Documents.DocumentPath.Parse({CSharpText.Literal(value.Text)})",
            ClrKind.GeoPoint => $"new global::Seeding.Values.GeoPoint({Double(value.Items[0].Text)}, {Double(value.Items[1].Text)})",
            ClrKind.Bytes => $"new global::System.ReadOnlyMemory<byte>({Base64(value.Text)})",
            ClrKind.Map => Map(value) + ".AsMap()",
            ClrKind.List => $"new {TypeName(element, ClrKind.Value)}[] {Braces(value.Items.Select(item => Typed(element, ClrKind.Value, item)))}",
            _ => Value(value),
        };
    }

    /// <summary>An expression of type Value for any resolved YAML value.</summary>
    public static string Value(ValueModel value) => value.Kind switch
    {
        ValueKindModel.Boolean => $"{ValueType}.Boolean({value.Text})",
        ValueKindModel.Integer => $"{ValueType}.Integer({Typed(ClrKind.Long, ClrKind.Value, value)})",
        ValueKindModel.Double => $"{ValueType}.Double({Double(value.Text)})",
        ValueKindModel.String => $"{ValueType}.String({CSharpText.Literal(value.Text)})",
        ValueKindModel.ServerTime => $"{ValueType}.ServerTimestamp",
        ValueKindModel.Timestamp => $"{ValueType}.Timestamp({Timestamp(value)})",
        ValueKindModel.Reference => $"{ValueType}.Reference({Typed(ClrKind.Reference, ClrKind.Value, value)})",
        ValueKindModel.GeoPoint => $"{ValueType}.GeoPoint({Typed(ClrKind.GeoPoint, ClrKind.Value, value)})",
        ValueKindModel.Bytes => $"{ValueType}.Bytes({Base64(value.Text)})",
        ValueKindModel.Array => $"{ValueType}.Array(new {ValueType}[] {Braces(value.Items.Select(Value))})",
        ValueKindModel.Map => Map(value),
        _ => $"{ValueType}.Null",
    };

    /// <summary>Converts a property (already known not null) to a Value.</summary>
    public static string ToValue(string expression, ClrKind kind, ClrKind element) => kind switch
    {
        ClrKind.String => $"{ValueType}.String({expression})",
        ClrKind.Long => $"{ValueType}.Integer({expression})",
        ClrKind.Double => $"{ValueType}.Double({expression})",
        ClrKind.Boolean => $"{ValueType}.Boolean({expression})",
        ClrKind.Timestamp => $"{ValueType}.Timestamp({expression})",
        ClrKind.Reference => $"{ValueType}.Reference({expression})",
        ClrKind.GeoPoint => $"{ValueType}.GeoPoint({expression})",
        ClrKind.Bytes => $"{ValueType}.Bytes({expression}.Span)",
        ClrKind.Map => $"{ValueType}.Map({expression})",
        ClrKind.List when element == ClrKind.Value => $"{ValueType}.Array({expression})",
        ClrKind.List => $"{ValueType}.Array(global::System.Linq.Enumerable.Select({expression}, static item => {ToValue("item", element, ClrKind.Value)}))",
        _ => expression,
    };

    /// <summary>The conversion from a stored Value to an item of a list property.</summary>
    public static string FromValue(ClrKind element) => element switch
    {
        ClrKind.String => "static item => item.AsString()",
        ClrKind.Long => "static item => item.AsInteger()",
        ClrKind.Double => "static item => item.AsDouble()",
        ClrKind.Boolean => "static item => item.AsBoolean()",
        ClrKind.Timestamp => "static item => item.AsTimestamp()",
        ClrKind.Reference => "static item => item.AsReference()",
        ClrKind.GeoPoint => "static item => item.AsGeoPoint()",
        ClrKind.Bytes => "static item => item.AsBytes()",
        ClrKind.Map => "static item => item.AsMap()",
        _ => "static item => item",
    };

    private static string Map(ValueModel value) =>
        $"{ValueType}.Map(new {DictionaryType} {Braces(Enumerable.Range(0, value.Keys.Count).Select(i => $"[{CSharpText.Literal(value.Keys[i])}] = {Value(value.Items[i])}"))})";

    /// <summary>An initializer: "{ a, b }", or "{ }" when empty.</summary>
    private static string Braces(System.Collections.Generic.IEnumerable<string> items)
    {
        var joined = string.Join(", ", items);
        return joined.Length == 0 ? "{ }" : "{ " + joined + " }";
    }

    private static string Double(string canonical)
    {
        var value = ValueModel.ParseDouble(canonical);
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        }

        return ValueModel.FormatDouble(value) + "d";
    }

    private static string Timestamp(ValueModel value)
    {
        if (value.Kind == ValueKindModel.ServerTime)
        {
            return "global::Seeding.Values.Timestamp.ServerTime";
        }

        var micros = long.Parse(value.Text, CultureInfo.InvariantCulture);
        var text = new DateTime(UnixEpochTicks + (micros * 10), DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        return $"global::Seeding.Values.Timestamp.FromUnixMicroseconds({CSharpText.Long(micros)}) /* {text} */";
    }

    // Base64 text is validated and re-encoded by the parser, so it holds only [A-Za-z0-9+/=].
    internal static string Base64(string text) => $"global::System.Convert.FromBase64String({CSharpText.Literal(text)})";
}
