using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Seeding.Generators.Descriptors;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;

namespace Seeding.Generators.Binding;

/// <summary>
/// Binds the steps of a parsed file that name a C# type (<c>type:</c>) to that type's shape: every YAML key maps
/// to a settable property by snake_case, every value converts to the property's type, required properties are
/// present. Problems are reported at the YAML; a file with any error emits nothing.
/// </summary>
internal static class Binder
{
    public static ParseResult Bind(ParseResult parsed, EquatableArray<TypeShape> shapes)
    {
        if (parsed.Bindings.Count == 0)
        {
            return parsed;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var taken = new HashSet<string>(StringComparer.Ordinal) { "Definition", "WithNulls", "DeclaredFields" };
        if (parsed.Model is { } candidate)
        {
            taken.Add(candidate.ClassName);
            foreach (var record in candidate.Records)
            {
                taken.Add(record.RecordName);
                taken.Add(record.ListName);
            }
        }

        var bound = new List<BoundRecordModel>();
        var mappers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var draft in parsed.Bindings)
        {
            var shape = shapes.FirstOrDefault(s => s.Name == draft.TypeName);
            if (shape?.FullName is null || shape.Problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.BoundTypeNotFound, draft.TypeLocation, draft.TypeName,
                    shape?.FullName is null
                        ? "names no type this project can see. Write the full name (namespace and type), and check the project references the assembly that declares it."
                        : $"cannot be bound: {shape.Problem}."));
                continue;
            }

            var documents = draft.Documents.Select(d => BindDocument(d, shape, diagnostics)).ToList();
            var step = parsed.Model?.Steps[draft.StepIndex];
            var collection = step?.Collection ?? string.Empty;
            var segment = collection.Substring(collection.LastIndexOf('/') + 1);
            var listName = Naming.Unique(Naming.ToPascalCase(segment, "Documents"), taken);
            if (!mappers.TryGetValue(shape.FullName, out var mapper))
            {
                var simple = shape.FullName.Substring(shape.FullName.LastIndexOf('.') + 1).Replace("global::", string.Empty);
                mapper = Naming.Unique(simple + "Mapper", taken);
                mappers[shape.FullName] = mapper;
            }

            bound.Add(new BoundRecordModel(shape.FullName, listName, mapper, Mapped(shape), documents.ToEquatableArray()));
        }

        var all = parsed.Diagnostics.Concat(diagnostics).ToEquatableArray();
        var failed = diagnostics.Count > 0 || bound.Count != parsed.Bindings.Count;
        var model = failed || parsed.Model is null ? null : parsed.Model with { Bound = bound.ToEquatableArray() };
        var summary = parsed.Summary is null ? null : parsed.Summary with { ClassName = model?.ClassName };
        return new ParseResult(model, summary, all, EquatableArray<BindingDraft>.Empty);
    }

    /// <summary>The properties the generated code reads and writes: settable, of a supported type.</summary>
    private static EquatableArray<BoundProperty> Mapped(TypeShape shape) =>
        shape.Properties.Where(p => p.Settable && p.Type.Kind != BoundKind.Unsupported).ToEquatableArray();

    private static BoundDocument BindDocument(BindingDocument document, TypeShape shape, List<DiagnosticInfo> diagnostics)
    {
        var mapped = Mapped(shape);
        var values = mapped.Select(_ => ValueModel.Absent).ToArray();
        var declared = new List<string>();
        var configured = new List<ConfiguredFieldModel>();
        foreach (var field in document.Fields)
        {
            var property = shape.Properties.FirstOrDefault(p => p.FieldName == field.Name);
            if (property is null || !property.Settable)
            {
                var expected = Naming.ToPascalCase(field.Name, "Field");
                var names = shape.Properties.Where(p => p.Settable).Select(p => $"{p.Name} ({p.FieldName})").ToList();
                diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.NoMatchingProperty, field.KeyLocation, field.Name, shape.FullName!, expected,
                    names.Count == 0 ? "none" : string.Join(", ", names)));
                continue;
            }

            if (property.Type.Kind == BoundKind.Unsupported)
            {
                diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.UnsupportedPropertyType, field.KeyLocation, field.Name, shape.FullName!, property.Name,
                    property.Type.Display + (property.Type.Nullable ? "?" : string.Empty)));
                continue;
            }

            var index = IndexOf(mapped, property);
            if (field.Value.Kind == ValueKindModel.Configured)
            {
                if (property.Type.Kind != BoundKind.String || !property.Type.Nullable || property.Required)
                {
                    Mismatch(field, shape, property, diagnostics, ": a value from configuration (!env) is filled in at run time, so it needs a string? property that is not required.");
                }
                else
                {
                    configured.Add(new ConfiguredFieldModel(field.Name, field.Value.Text, field.Value.IsSafe));
                }

                continue;
            }

            var problem = Problem(field.Value, property.Type);
            if (problem is not null)
            {
                Mismatch(field, shape, property, diagnostics, problem);
                continue;
            }

            values[index] = ResolveEnums(field.Value, property.Type);
            declared.Add(field.Name);
        }

        var missing = shape.Properties
            .Where(p => p.Required && !document.Fields.Any(f => f.Name == p.FieldName))
            .ToList();
        if (missing.Count > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.RequiredPropertyMissing, document.Location,
                missing.Count == 1 ? "y" : "ies",
                string.Join(", ", missing.Select(p => p.Name)),
                shape.FullName!,
                string.Join(", ", missing.Select(p => $"'{p.FieldName}:'"))));
        }

        return new BoundDocument(document.Id, document.Line, declared.ToEquatableArray(), values.ToEquatableArray(), configured.ToEquatableArray());
    }

    private static int IndexOf(EquatableArray<BoundProperty> properties, BoundProperty property)
    {
        for (var i = 0; i < properties.Count; i++)
        {
            if (properties[i].Name == property.Name)
            {
                return i;
            }
        }

        return -1;
    }

    private static void Mismatch(BindingField field, TypeShape shape, BoundProperty property, List<DiagnosticInfo> diagnostics, string detail) =>
        diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.ValueDoesNotConvert, field.ValueLocation, field.Name, Describe(field.Value),
            property.Type.Display + (property.Type.Nullable ? "?" : string.Empty), shape.FullName!, property.Name, detail));

    /// <summary>Null when <paramref name="value"/> converts to <paramref name="type"/>; else the reason, appended to the message.</summary>
    public static string? Problem(ValueModel value, BoundType type)
    {
        if (value.Kind == ValueKindModel.Null)
        {
            return type.Nullable || type.Kind == BoundKind.Value ? null : ": the property does not accept null (make it nullable, or give a value).";
        }

        if (value.Kind == ValueKindModel.Configured)
        {
            return ": !env is allowed only as a whole top-level field.";
        }

        var fits = type.Kind switch
        {
            BoundKind.String => value.Kind == ValueKindModel.String,
            BoundKind.Int64 => value.Kind == ValueKindModel.Integer,
            BoundKind.Int32 => value.Kind == ValueKindModel.Integer && long.Parse(value.Text, CultureInfo.InvariantCulture) is >= int.MinValue and <= int.MaxValue,
            BoundKind.Double => value.Kind is ValueKindModel.Integer or ValueKindModel.Double,
            BoundKind.Boolean => value.Kind == ValueKindModel.Boolean,
            BoundKind.Timestamp => value.Kind is ValueKindModel.Timestamp or ValueKindModel.ServerTime,
            BoundKind.DateTimeOffset => value.Kind == ValueKindModel.Timestamp,
            BoundKind.Reference => value.Kind == ValueKindModel.Reference,
            BoundKind.GeoPoint => value.Kind == ValueKindModel.GeoPoint,
            BoundKind.Memory or BoundKind.ByteArray => value.Kind == ValueKindModel.Bytes,
            BoundKind.Map => value.Kind == ValueKindModel.Map,
            BoundKind.Value => true,
            BoundKind.Enum => value.Kind == ValueKindModel.String && EnumMember(type, value.Text) is not null,
            BoundKind.ReadOnlyList or BoundKind.List or BoundKind.Array => value.Kind == ValueKindModel.Array && value.Items.All(item => Problem(item, type.Element!) is null),
            _ => false,
        };
        if (fits)
        {
            return null;
        }

        if (type.Kind == BoundKind.DateTimeOffset && value.Kind == ValueKindModel.ServerTime)
        {
            return ": !now is the server's time at apply time, which only a Seeding.Values.Timestamp property can hold (Timestamp.ServerTime).";
        }

        if (type.Kind == BoundKind.Int32 && value.Kind == ValueKindModel.Integer)
        {
            return ": it is out of the range of int.";
        }

        if (type.Kind == BoundKind.Enum && value.Kind == ValueKindModel.String)
        {
            return $": it is not one of the members {string.Join(", ", type.EnumMembers.Select(m => m.FieldText))} (snake_case or the C# name).";
        }

        return ".";
    }

    /// <summary>The enum member a YAML string names: its snake_case form (as stored) or its C# name.</summary>
    private static string? EnumMember(BoundType type, string text) =>
        type.EnumMembers.FirstOrDefault(m => m.Name == text || m.FieldText == text)?.Name;

    /// <summary>A value that fits <paramref name="type"/>, with each enum text replaced by the C# member it names.</summary>
    private static ValueModel ResolveEnums(ValueModel value, BoundType type) => type.Kind switch
    {
        BoundKind.Enum when value.Kind == ValueKindModel.String => ValueModel.Scalar(ValueKindModel.String, EnumMember(type, value.Text)!),
        BoundKind.ReadOnlyList or BoundKind.List or BoundKind.Array when value.Kind == ValueKindModel.Array =>
            value with { Items = value.Items.Select(item => ResolveEnums(item, type.Element!)).ToEquatableArray() },
        _ => value,
    };

    private static string Describe(ValueModel value) => value.Kind switch
    {
        ValueKindModel.Null => "null",
        ValueKindModel.Boolean => "a boolean",
        ValueKindModel.Integer => "an integer",
        ValueKindModel.Double => "a float",
        ValueKindModel.String => "a string",
        ValueKindModel.ServerTime => "!now",
        ValueKindModel.Timestamp => "a timestamp",
        ValueKindModel.Reference => "a document reference (!ref)",
        ValueKindModel.GeoPoint => "a geo point (!geo)",
        ValueKindModel.Bytes => "bytes (!bytes)",
        ValueKindModel.Array => "a list",
        ValueKindModel.Map => "a mapping",
        ValueKindModel.Configured => "a configured value (!env)",
        _ => "a value",
    };
}
