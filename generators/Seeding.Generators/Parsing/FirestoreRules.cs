using System.Text;

namespace Seeding.Generators.Parsing;

/// <summary>
/// Firestore's naming rules, the same as the runtime's DocumentRules (kept in step by tests; the generator
/// cannot reference the runtime assembly). Each method returns why a name is invalid, or null.
/// </summary>
internal static class FirestoreRules
{
    public const int MaxIdBytes = 1500;

    public const int MaxNestingDepth = 20;

    public const int MaxDocumentBytes = 1_048_576;

    public static string? ValidateId(string id)
    {
        if (id.Length == 0)
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

        var bytes = Encoding.UTF8.GetByteCount(id);
        return bytes > MaxIdBytes ? $"'{Shorten(id)}' is {bytes} bytes long; Firestore allows at most {MaxIdBytes} bytes" : null;
    }

    public static string? ValidateFieldName(string name)
    {
        if (name.Length == 0)
        {
            return "a field name must not be empty";
        }

        if (IsReserved(name))
        {
            return $"field name '{Shorten(name)}' matches __.*__, which Firestore reserves; rename the field";
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        return bytes > MaxIdBytes ? $"field name '{Shorten(name)}' is {bytes} bytes long; Firestore allows at most {MaxIdBytes} bytes" : null;
    }

    /// <summary>A collection path has an odd number of valid segments: <c>roles</c>, <c>tenants/t1/users</c>.</summary>
    public static string? ValidateCollectionPath(string path)
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

    /// <summary>A document path has an even number of valid segments: <c>roles/admin</c>.</summary>
    public static string? ValidateDocumentPath(string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash <= 0)
        {
            return $"'{Shorten(path)}' is not a document path; write 'collection/id'";
        }

        var problem = ValidateCollectionPath(path.Substring(0, slash));
        return problem ?? ValidateId(path.Substring(slash + 1));
    }

    public static string Shorten(string text) => YamlNode.Shorten(text);

    // Same test as the runtime: longer than "____" and wrapped in double underscores.
    private static bool IsReserved(string name) => name.Length > 4 && name.StartsWith("__", System.StringComparison.Ordinal) && name.EndsWith("__", System.StringComparison.Ordinal);
}
