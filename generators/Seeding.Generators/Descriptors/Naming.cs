using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Seeding.Generators.Descriptors;

/// <summary>C# names from YAML names: PascalCase from snake_case, always valid identifiers.</summary>
internal static class Naming
{
    /// <summary>Members every record has (or inherits); a property with one of these names gets a "Value" suffix.</summary>
    private static readonly HashSet<string> RecordMembers = new(StringComparer.Ordinal)
    {
        "ToFields", "FromFields", "EqualityContract", "Equals", "GetHashCode", "ToString", "PrintMembers",
        "Deconstruct", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
    };

    /// <summary>
    /// <c>created_at</c> → <c>CreatedAt</c>; separators are any non letter/digit; a leading digit gets an
    /// underscore; an empty result becomes <paramref name="fallback"/>. Keywords cannot result (they are
    /// lower case) but are escaped anyway.
    /// </summary>
    public static string ToPascalCase(string name, string fallback)
    {
        var builder = new StringBuilder(name.Length);
        var upperNext = true;
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) || char.IsSurrogate(c))
            {
                upperNext = true;
                continue;
            }

            builder.Append(upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }

        if (builder.Length == 0)
        {
            return fallback;
        }

        if (char.IsDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        var result = builder.ToString();
        return SyntaxFacts.GetKeywordKind(result) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(result) != SyntaxKind.None
            ? "@" + result
            : result;
    }

    /// <summary>A property name that is not one of the record's own members.</summary>
    public static string PropertyName(string yamlName)
    {
        var name = ToPascalCase(yamlName, "Field");
        return RecordMembers.Contains(name) ? name + "Value" : name;
    }

    /// <summary><c>roles</c> → <c>role</c>, <c>categories</c> → <c>category</c>; words that are not plural stay.</summary>
    public static string Singularize(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 3)
        {
            return word.Substring(0, word.Length - 3) + "y";
        }

        foreach (var suffix in new[] { "sses", "xes", "ches", "shes", "zzes" })
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length > suffix.Length)
            {
                return word.Substring(0, word.Length - 2);
            }
        }

        var keepsTrailingS = word.EndsWith("ss", StringComparison.Ordinal) || word.EndsWith("us", StringComparison.Ordinal) || word.EndsWith("is", StringComparison.Ordinal);
        return word.EndsWith("s", StringComparison.Ordinal) && word.Length > 1 && !keepsTrailingS
            ? word.Substring(0, word.Length - 1)
            : word;
    }

    /// <summary>Returns <paramref name="name"/>, or it with a numeric suffix, so that it is not in <paramref name="taken"/>; then takes it.</summary>
    public static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
