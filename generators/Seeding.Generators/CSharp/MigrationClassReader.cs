using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Seeding.Generators.Model;
using Seeding.Generators.Shared;

namespace Seeding.Generators.CSharp;

/// <summary>Reads a class marked with <c>[Seeding.Definitions.Migration]</c> into a <see cref="CSharpMigrationInfo"/>.</summary>
internal static class MigrationClassReader
{
    public const string AttributeName = "Seeding.Definitions.MigrationAttribute";
    private const string InterfaceName = "Seeding.Definitions.IMigration";

    public static CSharpMigrationInfo? Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.Length == 0)
        {
            return null;
        }

        var attribute = context.Attributes[0];
        var arguments = attribute.ConstructorArguments;
        var id = arguments.Length > 0 ? arguments[0].Value as string ?? string.Empty : string.Empty;
        SeedPhase? phase = arguments.Length > 1 ? PhaseOf(arguments[1]) : null;
        var number = MigrationFileName.TryParse(id, out var digits, out _) ? digits : null;
        var description = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Description").Value.Value as string;
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) ?? context.TargetNode;
        var location = ToInfo(syntax.GetLocation());
        var className = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        return new CSharpMigrationInfo(id, phase, number, type.Name, className, description, context.TargetNode.SyntaxTree.FilePath, Checksum(context.TargetNode), location, Problems(type).ToEquatableArray());
    }

    /// <summary>Pre or Post, read by the runtime enum member's name (not its number); null for any other value.</summary>
    private static SeedPhase? PhaseOf(TypedConstant argument)
    {
        var member = argument.Type?.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, argument.Value));
        return member?.Name switch
        {
            nameof(SeedPhase.Pre) => SeedPhase.Pre,
            nameof(SeedPhase.Post) => SeedPhase.Post,
            _ => null,
        };
    }

    private static IEnumerable<string> Problems(INamedTypeSymbol type)
    {
        if (!type.AllInterfaces.Any(i => i.ToDisplayString() == InterfaceName))
        {
            yield return "has [Migration] but does not implement Seeding.Definitions.IMigration. Implement ApplyAsync(MigrationContext, CancellationToken).";
        }

        if (type.IsAbstract || type.IsStatic)
        {
            yield return $"is {(type.IsStatic ? "static" : "abstract")}; the registry creates an instance of it. Make it a concrete class.";
        }
        else if (!type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
        {
            yield return "needs a public parameterless constructor: the registry creates it without dependency injection (read what you need from the MigrationContext).";
        }

        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                yield return "is generic (or nested in a generic type); the registry cannot choose its type arguments.";
                break;
            }

            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                yield return "is not visible to the generated registry; make it (and its containing types) internal or public.";
                break;
            }
        }
    }

    /// <summary>SHA-256 over the class's tokens, one space apart: comments and whitespace do not count, code does.</summary>
    private static string Checksum(SyntaxNode node)
    {
        var builder = new StringBuilder();
        foreach (var token in node.DescendantTokens())
        {
            builder.Append(token.Text).Append(' ');
        }

        return Sha256Hex.Of(builder.ToString());
    }

    public static LocationInfo ToInfo(Location location)
    {
        var span = location.GetLineSpan();
        return new LocationInfo(span.Path ?? string.Empty, location.SourceSpan.Start, location.SourceSpan.Length, span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character);
    }

    /// <summary>The file's path relative to the project folder, with '/' separators (the file name when outside it).</summary>
    public static string RelativePath(string filePath, string? projectDir)
    {
        var path = filePath.Replace('\\', '/');
        var root = projectDir?.Replace('\\', '/');
        if (!string.IsNullOrEmpty(root))
        {
            root = root!.EndsWith("/", StringComparison.Ordinal) ? root : root + "/";
            if (path.StartsWith(root, StringComparison.OrdinalIgnoreCase))
            {
                return path.Substring(root.Length);
            }
        }

        return path.Substring(path.LastIndexOf('/') + 1);
    }
}
