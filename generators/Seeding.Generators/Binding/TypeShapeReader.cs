using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Seeding.Generators.Model;

namespace Seeding.Generators.Binding;

/// <summary>
/// Reads the types that <c>type:</c> names from the compilation into plain, equatable <see cref="TypeShape"/>s,
/// so a C# edit that leaves those shapes alone leaves every YAML step Cached, and no symbol reaches a model.
/// </summary>
internal static class TypeShapeReader
{
    public static EquatableArray<TypeShape> Read(EquatableArray<string> names, Compilation compilation, CancellationToken cancellationToken)
    {
        var shapes = new List<TypeShape>(names.Count);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            shapes.Add(ReadOne(name, compilation));
        }

        return shapes.ToEquatableArray();
    }

    private static TypeShape ReadOne(string name, Compilation compilation)
    {
        var type = Find(name, compilation);
        if (type is null)
        {
            return new TypeShape(name, null, null, EquatableArray<BoundProperty>.Empty);
        }

        var fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var problem = ProblemOf(type, compilation);
        var properties = new List<BoundProperty>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
        {
            foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public || !seen.Add(property.Name))
                {
                    continue;
                }

                var settable = property.SetMethod is { DeclaredAccessibility: Accessibility.Public or Accessibility.Internal };
                properties.Add(new BoundProperty(property.Name, SnakeCase(property.Name), Classify(property.Type, allowList: true), property.IsRequired, settable));
            }
        }

        return new TypeShape(name, fullName, problem, properties.ToEquatableArray());
    }

    /// <summary>A namespace type by its full name, or a nested one (Outer.Inner).</summary>
    private static INamedTypeSymbol? Find(string name, Compilation compilation)
    {
        var metadataName = name;
        while (true)
        {
            var type = compilation.GetTypeByMetadataName(metadataName);
            if (type is not null)
            {
                return type;
            }

            var dot = metadataName.LastIndexOf('.');
            if (dot < 0)
            {
                return null;
            }

            metadataName = metadataName.Substring(0, dot) + "+" + metadataName.Substring(dot + 1);
        }
    }

    private static string? ProblemOf(INamedTypeSymbol type, Compilation compilation)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return "it is not a class or struct";
        }

        if (type.IsAbstract || type.IsStatic)
        {
            return type.IsStatic ? "it is static" : "it is abstract";
        }

        if (type.IsGenericType)
        {
            return "it is generic";
        }

        if (!compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
        {
            return "it is not accessible from this project";
        }

        var hasConstructor = type.TypeKind == TypeKind.Struct || type.InstanceConstructors.Any(c =>
            c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal);
        return hasConstructor
            ? null
            : "it has no accessible parameterless constructor (constructor binding of positional records is not supported: give the type settable or init properties)";
    }

    private static BoundType Classify(ITypeSymbol type, bool allowList)
    {
        var nullable = false;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapper)
        {
            type = wrapper.TypeArguments[0];
            nullable = true;
        }
        else if (type.IsReferenceType)
        {
            nullable = type.NullableAnnotation != NullableAnnotation.NotAnnotated;
        }

        var plain = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        var display = plain.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        BoundType Make(BoundKind kind, BoundType? element = null, EquatableArray<EnumMemberModel> members = default) => new(kind, nullable, display, element, members);

        switch (type.SpecialType)
        {
            case SpecialType.System_String: return Make(BoundKind.String);
            case SpecialType.System_Int64: return Make(BoundKind.Int64);
            case SpecialType.System_Int32: return Make(BoundKind.Int32);
            case SpecialType.System_Double: return Make(BoundKind.Double);
            case SpecialType.System_Boolean: return Make(BoundKind.Boolean);
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            var members = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(f => new EnumMemberModel(f.Name, SnakeCase(f.Name))).ToEquatableArray();
            return Make(BoundKind.Enum, members: members);
        }

        if (type is IArrayTypeSymbol array && array.Rank == 1)
        {
            if (array.ElementType.SpecialType == SpecialType.System_Byte)
            {
                return Make(BoundKind.ByteArray);
            }

            return allowList ? ListOf(BoundKind.Array, array.ElementType) : Make(BoundKind.Unsupported);
        }

        if (type is not INamedTypeSymbol named)
        {
            return Make(BoundKind.Unsupported);
        }

        var metadata = MetadataName(named);
        switch (metadata)
        {
            case "Seeding.Values.Timestamp": return Make(BoundKind.Timestamp);
            case "System.DateTimeOffset": return Make(BoundKind.DateTimeOffset);
            case "Seeding.Documents.DocumentPath": return Make(BoundKind.Reference);
            case "Seeding.Values.GeoPoint": return Make(BoundKind.GeoPoint);
            case "Seeding.Values.Value": return Make(BoundKind.Value);
            case "System.ReadOnlyMemory`1" when named.TypeArguments[0].SpecialType == SpecialType.System_Byte:
                return Make(BoundKind.Memory);
            case "System.Collections.Generic.IReadOnlyDictionary`2"
                when named.TypeArguments[0].SpecialType == SpecialType.System_String && MetadataName(named.TypeArguments[1]) == "Seeding.Values.Value":
                return Make(BoundKind.Map);
            case "System.Collections.Generic.IReadOnlyList`1" when allowList:
                return ListOf(BoundKind.ReadOnlyList, named.TypeArguments[0]);
            case "System.Collections.Generic.List`1" when allowList:
                return ListOf(BoundKind.List, named.TypeArguments[0]);
        }

        return Make(BoundKind.Unsupported);

        BoundType ListOf(BoundKind kind, ITypeSymbol elementType)
        {
            var element = Classify(elementType, allowList: false);
            var usable = element.Kind is not (BoundKind.Unsupported or BoundKind.ByteArray or BoundKind.Memory) && (!element.Nullable || element.Kind == BoundKind.Value);
            return usable ? Make(kind, element) : Make(BoundKind.Unsupported);
        }
    }

    private static string MetadataName(ITypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;

    /// <summary>The Firestore field name of a C# property: <c>CreatedAt</c> → <c>created_at</c>, <c>HTTPCode</c> → <c>http_code</c>.</summary>
    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                if (i > 0 && previous != '_' && (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
