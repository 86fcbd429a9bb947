using System.Globalization;
using System.Linq;
using Seeding.Generators.Model;

namespace Seeding.Generators.Emit;

/// <summary>
/// Emits a bound step's typed data (object initializers of the bound type) and the static mapper that converts
/// the type to and from Firestore fields with snake_case names: plain generated code, no reflection.
/// </summary>
internal static class BoundEmitter
{
    private const string V = ValueExpressions.ValueType;
    private const string Linq = "global::System.Linq.Enumerable";

    public static void EmitData(SourceWriter w, BoundRecordModel record, string collection, string source)
    {
        w.Line($"/// <summary>The <c>{CSharpText.Comment(collection)}</c> documents of this step, bound to <see cref=\"{Cref(record.FullName)}\"/>, in YAML order.</summary>");
        w.Open($"public static global::System.Collections.Generic.IReadOnlyList<{record.FullName}> {record.ListName} {{ get; }} = new {record.FullName}[]");
        foreach (var document in record.Documents)
        {
            w.Line($"// {CSharpText.Comment(source)}:{CSharpText.Int(document.Line)}");
            var assignments = Enumerable.Range(0, record.Properties.Count)
                .Where(i => document.Values[i].Kind != ValueKindModel.Absent)
                .Select(i => $"{Member(record.Properties[i].Name)} = {Literal(record.Properties[i].Type, document.Values[i])}");
            var joined = string.Join(", ", assignments);
            w.Line(joined.Length == 0 ? $"new {record.FullName}()," : $"new {record.FullName} {{ {joined} }},");
        }

        w.Close("};");
    }

    public static void EmitMapper(SourceWriter w, BoundRecordModel record)
    {
        w.Line($"/// <summary>Converts <see cref=\"{Cref(record.FullName)}\"/> to and from Firestore fields (snake_case names), without reflection.</summary>");
        w.Open($"public static class {record.MapperName}");
        w.Line("/// <summary>Every mapped property as a field; null properties are written as null.</summary>");
        w.Open($"public static {ValueExpressions.FieldsType} ToFields({record.FullName} value)");
        w.Line($"var fields = new global::System.Collections.Generic.Dictionary<string, {V}>(global::System.StringComparer.Ordinal);");
        foreach (var property in record.Properties)
        {
            w.Line($"fields[{CSharpText.Literal(property.FieldName)}] = {ToValue("value." + Member(property.Name), property.Type)};");
        }

        w.Line($"return new global::System.Collections.ObjectModel.ReadOnlyDictionary<string, {V}>(fields);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Reads a stored document back; a missing field of a non-nullable property, or a value of the wrong kind, throws.</summary>");
        w.Open($"public static {record.FullName} FromFields({ValueExpressions.FieldsType} fields)");
        if (record.Properties.Count == 0)
        {
            w.Line($"return new {record.FullName}();");
        }
        else
        {
            w.Line($"return new {record.FullName}");
            w.Line("{");
            for (var i = 0; i < record.Properties.Count; i++)
            {
                var property = record.Properties[i];
                var name = CSharpText.Literal(property.FieldName);
                var read = property.Type.Nullable
                    ? $"fields.TryGetValue({name}, out var value{i}) && !value{i}.IsNull ? {FromValue("value" + i, property.Type)} : null"
                    : property.Type.Kind == BoundKind.Value
                        ? $"fields.TryGetValue({name}, out var value{i}) ? value{i} : {V}.Null"
                        : FromValue($"Field(fields, {name})", property.Type);
                w.Line($"    {Member(property.Name)} = {read},");
            }

            w.Line("};");
        }

        w.Close();
        w.Line();
        w.Line($"private static {V} Field({ValueExpressions.FieldsType} fields, string name) =>");
        w.Line($"    fields.TryGetValue(name, out var value) ? value : throw new global::System.FormatException(\"Field '\" + name + \"' of {CSharpText.Comment(record.FullName.Replace("global::", string.Empty))} is missing.\");");
        w.Close();
    }

    public static void EmitDeclaredFields(SourceWriter w)
    {
        w.Line("// A bound document writes the fields its YAML declares, so an upsert merges only those.");
        w.Open($"private static {ValueExpressions.FieldsType} DeclaredFields({ValueExpressions.FieldsType} fields, params string[] names)");
        w.Line($"var declared = new global::System.Collections.Generic.Dictionary<string, {V}>(global::System.StringComparer.Ordinal);");
        w.Line("foreach (var name in names) declared[name] = fields[name];");
        w.Line($"return new global::System.Collections.ObjectModel.ReadOnlyDictionary<string, {V}>(declared);");
        w.Close();
    }

    private static string Patterns(EnumMemberModel member) =>
        member.FieldText == member.Name ? CSharpText.Literal(member.Name) : $"{CSharpText.Literal(member.FieldText)} or {CSharpText.Literal(member.Name)}";

    private static string Cref(string fullName) => fullName.Replace("global::", string.Empty);

    private static string Member(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

    /// <summary>A C# literal of the property's type for a YAML value (already checked to convert).</summary>
    private static string Literal(BoundType type, ValueModel value)
    {
        if (value.Kind == ValueKindModel.Null)
        {
            return type.Kind == BoundKind.Value && !type.Nullable ? $"{V}.Null" : "null";
        }

        return type.Kind switch
        {
            BoundKind.String => ValueExpressions.Typed(ClrKind.String, ClrKind.Value, value),
            BoundKind.Int64 => ValueExpressions.Typed(ClrKind.Long, ClrKind.Value, value),
            BoundKind.Int32 => long.Parse(value.Text, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            BoundKind.Double => ValueExpressions.Typed(ClrKind.Double, ClrKind.Value, value),
            BoundKind.Boolean => value.Text,
            BoundKind.Timestamp => ValueExpressions.Typed(ClrKind.Timestamp, ClrKind.Value, value),
            BoundKind.DateTimeOffset => $"({ValueExpressions.Typed(ClrKind.Timestamp, ClrKind.Value, value)}).ToDateTimeOffset()",
            BoundKind.Reference => ValueExpressions.Typed(ClrKind.Reference, ClrKind.Value, value),
            BoundKind.GeoPoint => ValueExpressions.Typed(ClrKind.GeoPoint, ClrKind.Value, value),
            BoundKind.Memory => ValueExpressions.Typed(ClrKind.Bytes, ClrKind.Value, value),
            BoundKind.ByteArray => ValueExpressions.Base64(value.Text),
            BoundKind.Map => ValueExpressions.Typed(ClrKind.Map, ClrKind.Value, value),
            BoundKind.Value => ValueExpressions.Value(value),
            BoundKind.Enum => $"{type.Display}.{Member(value.Text)}",
            BoundKind.List => $"new global::System.Collections.Generic.List<{type.Element!.Display}> {Braces(value, type.Element)}",
            _ => $"new {type.Element!.Display}[] {Braces(value, type.Element)}",
        };
    }

    private static string Braces(ValueModel list, BoundType element)
    {
        var joined = string.Join(", ", list.Items.Select(item => Literal(element, item)));
        return joined.Length == 0 ? "{ }" : "{ " + joined + " }";
    }

    /// <summary>A Value for a property expression, null included.</summary>
    private static string ToValue(string expression, BoundType type)
    {
        if (!type.Nullable)
        {
            return NonNullToValue(expression, type);
        }

        return IsValueType(type.Kind)
            ? $"{expression}.HasValue ? {NonNullToValue(expression + ".Value", type)} : {V}.Null"
            : $"{expression} is null ? {V}.Null : {NonNullToValue(expression, type)}";
    }

    private static bool IsValueType(BoundKind kind) =>
        kind is BoundKind.Int64 or BoundKind.Int32 or BoundKind.Double or BoundKind.Boolean or BoundKind.Timestamp or BoundKind.DateTimeOffset
            or BoundKind.GeoPoint or BoundKind.Memory or BoundKind.Enum;

    private static string NonNullToValue(string e, BoundType type) => type.Kind switch
    {
        BoundKind.String => $"{V}.String({e})",
        BoundKind.Int64 or BoundKind.Int32 => $"{V}.Integer({e})",
        BoundKind.Double => $"{V}.Double({e})",
        BoundKind.Boolean => $"{V}.Boolean({e})",
        BoundKind.Timestamp => $"{V}.Timestamp({e})",
        BoundKind.DateTimeOffset => $"{V}.Timestamp(global::Seeding.Values.Timestamp.FromDateTimeOffset({e}))",
        BoundKind.Reference => $"{V}.Reference({e})",
        BoundKind.GeoPoint => $"{V}.GeoPoint({e})",
        BoundKind.Memory => $"{V}.Bytes({e}.Span)",
        BoundKind.ByteArray => $"{V}.Bytes({e})",
        BoundKind.Map => $"{V}.Map({e})",
        BoundKind.Enum => $"{V}.String({e} switch {{ {string.Join(", ", type.EnumMembers.Select(m => $"{type.Display}.{Member(m.Name)} => {CSharpText.Literal(m.FieldText)}"))}{(type.EnumMembers.Count == 0 ? string.Empty : ", ")}_ => throw new global::System.FormatException(\"Not a named member of {CSharpText.Comment(Cref(type.Display))}.\") }})",
        BoundKind.ReadOnlyList or BoundKind.List or BoundKind.Array => $"{V}.Array({Linq}.Select({e}, static item => {NonNullToValue("item", type.Element!)}))",
        _ => e,
    };

    /// <summary>The property's value from a stored Value expression known not to be null.</summary>
    private static string FromValue(string e, BoundType type) => type.Kind switch
    {
        BoundKind.String => $"{e}.AsString()",
        BoundKind.Int64 => $"{e}.AsInteger()",
        BoundKind.Int32 => $"checked((int){e}.AsInteger())",
        BoundKind.Double => $"{e}.AsDouble()",
        BoundKind.Boolean => $"{e}.AsBoolean()",
        BoundKind.Timestamp => $"{e}.AsTimestamp()",
        BoundKind.DateTimeOffset => $"{e}.AsTimestamp().ToDateTimeOffset()",
        BoundKind.Reference => $"{e}.AsReference()",
        BoundKind.GeoPoint => $"{e}.AsGeoPoint()",
        BoundKind.Memory => $"{e}.AsBytes()",
        BoundKind.ByteArray => $"{e}.AsBytes().ToArray()",
        BoundKind.Map => $"{e}.AsMap()",
        BoundKind.Enum => $"{e}.AsString() switch {{ {string.Join(", ", type.EnumMembers.Select(m => $"{Patterns(m)} => {type.Display}.{Member(m.Name)}"))}{(type.EnumMembers.Count == 0 ? string.Empty : ", ")}var other => throw new global::System.FormatException(\"'\" + other + \"' is not a member of {CSharpText.Comment(Cref(type.Display))}.\") }}",
        BoundKind.List => $"new global::System.Collections.Generic.List<{type.Element!.Display}>({Linq}.Select({e}.AsArray(), static item => {FromValue("item", type.Element)}))",
        BoundKind.ReadOnlyList or BoundKind.Array => $"{Linq}.ToArray({Linq}.Select({e}.AsArray(), static item => {FromValue("item", type.Element!)}))",
        _ => e,
    };
}
