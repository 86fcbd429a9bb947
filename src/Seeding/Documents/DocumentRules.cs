using System;
using System.Text;

namespace Seeding.Documents;

// Firestore's naming rules, written once. The generator compiles this file too (as a linked source, see
// Seeding.Generators.csproj), so it keeps to what netstandard2.0 offers. This part declares no accessibility:
// the runtime's other part (DocumentRules.Public.cs) makes the class public; in the generator it is internal.
static partial class DocumentRules
{
    /// <summary>Firestore's limit on the UTF-8 size of a document id or field name.</summary>
    public const int MaxIdBytes = 1500;

    /// <summary>Firestore's limit on the depth of nested maps and arrays in a document.</summary>
    public const int MaxNestingDepth = 20;

    /// <summary>Firestore's limit on the size of one document, in bytes.</summary>
    public const int MaxDocumentBytes = 1_048_576;

    /// <summary>Returns why <paramref name="id"/> is not a valid document or collection id, or null when it is.</summary>
    public static string? ValidateId(string id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "an id must not be empty";
        }

        if (id.IndexOf('/') >= 0)
        {
            return $"'{Shorten(id)}' contains '/', which separates path segments; choose an id without '/'";
        }

        if (id is "." or "..")
        {
            return $"'{id}' is reserved; choose another id";
        }

        if (IsReserved(id))
        {
            return $"'{Shorten(id)}' matches __.*__, which Firestore reserves; choose an id without the double underscores";
        }

        return LoneSurrogateProblem(id, "'" + Shorten(id) + "'") ?? SizeProblem(id, "'" + Shorten(id) + "'");
    }

    /// <summary>Returns why <paramref name="name"/> is not a valid field name, or null when it is.</summary>
    public static string? ValidateFieldName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a field name must not be empty";
        }

        if (IsReserved(name))
        {
            return $"field name '{Shorten(name)}' matches __.*__, which Firestore reserves; rename the field";
        }

        return LoneSurrogateProblem(name, $"field name '{Shorten(name)}'") ?? SizeProblem(name, $"field name '{Shorten(name)}'");
    }

    /// <summary>Returns why <paramref name="path"/> is not a collection path (an odd number of valid segments: <c>roles</c>, <c>tenants/t1/users</c>), or null.</summary>
    internal static string? ValidateCollectionPath(string path)
    {
        var segments = path.Split('/');
        if (segments.Length % 2 == 0)
        {
            return "a collection path needs an odd number of segments, like 'roles' or 'tenants/t1/users'";
        }

        foreach (var segment in segments)
        {
            var problem = ValidateId(segment);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Returns why <paramref name="path"/> is not a document path (an even number of valid segments: <c>roles/admin</c>), or null.</summary>
    internal static string? ValidateDocumentPath(string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash <= 0)
        {
            return $"'{Shorten(path)}' is not a document path; write 'collection/id'";
        }

        return ValidateCollectionPath(path.Substring(0, slash)) ?? ValidateId(path.Substring(slash + 1));
    }

    /// <summary>The text on one line, cut to 40 characters, for quoting a name in a message.</summary>
    internal static string Shorten(string text)
    {
        var oneLine = text.Replace("\r", " ").Replace("\n", " ");
        return oneLine.Length <= 40 ? oneLine : oneLine.Substring(0, 37) + "...";
    }

    // Longer than "____" and wrapped in double underscores.
    private static bool IsReserved(string name) =>
        name.Length > 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal);

    // Firestore stores names as UTF-8, which cannot hold half of a surrogate pair.
    private static string? LoneSurrogateProblem(string name, string quoted)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(name[i]))
            {
                return $"{quoted} holds a lone UTF-16 surrogate (U+{(int)name[i]:X4}, half of a character), which is not valid Unicode; Firestore rejects it";
            }
        }

        return null;
    }

    private static string? SizeProblem(string name, string quoted)
    {
        var bytes = Encoding.UTF8.GetByteCount(name);
        return bytes > MaxIdBytes ? $"{quoted} is {bytes} bytes long; Firestore allows at most {MaxIdBytes} bytes" : null;
    }
}
