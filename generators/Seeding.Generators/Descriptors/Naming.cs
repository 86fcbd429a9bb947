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

    /// <summary>
    /// The record name's word for one document of a collection: <c>roles</c> → <c>role</c>, <c>user_statuses</c> →
    /// <c>user_status</c>, <c>userStatuses</c> → <c>userStatus</c>. Only the last word changes (after the last
    /// separator, digit or capital); a word already singular (<c>status</c>, <c>address</c>, <c>news</c>) stays, and
    /// a word in capitals stays. English rules with a short list of exceptions: a plural the rules would get wrong
    /// (<c>people</c>, <c>houses</c>, <c>movies</c>) and words with no singular (<c>news</c>, <c>series</c>,
    /// <c>data</c>). <c>settings</c> is a regular plural: each document is one setting.
    /// </summary>
    public static string Singularize(string word)
    {
        var start = word.Length;
        while (start > 0 && char.IsLower(word[start - 1]))
        {
            start--;
        }

        // The capital that starts a camelCase word belongs to it.
        if (start > 0 && char.IsUpper(word[start - 1]))
        {
            start--;
        }

        var last = word.Substring(start);
        var lower = last.ToLowerInvariant();
        var capitalized = last.Length > 0 && char.IsUpper(last[0]);
        if (lower.Length == 0 || last.Substring(1) != lower.Substring(1))
        {
            return word;
        }

        var singular = EnglishSingular.Of(lower);
        return word.Substring(0, start) + (capitalized ? char.ToUpperInvariant(singular[0]) + singular.Substring(1) : singular);
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
