using System.Text;

namespace Seeding.Documents;

/// <summary>
/// Firestore's rules for document ids, collection ids and field names, with messages that say what to
/// change. The generator applies the same rules at compile time (it shares these rules as source text).
/// </summary>
public static class DocumentRules
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

        if (id.Contains('/', StringComparison.Ordinal))
        {
            return $"'{Shorten(id)}' contains '/', which separates path segments; choose an id without '/'";
        }

        if (id is "." or "..")
        {
            return $"'{id}' is reserved; choose another id";
        }

        if (id.Length > 4 && id.StartsWith("__", StringComparison.Ordinal) && id.EndsWith("__", StringComparison.Ordinal))
        {
            return $"'{Shorten(id)}' matches __.*__, which Firestore reserves; choose an id without the double underscores";
        }

        var bytes = Encoding.UTF8.GetByteCount(id);
        if (bytes > MaxIdBytes)
        {
            return $"'{Shorten(id)}' is {bytes} bytes long; Firestore allows at most {MaxIdBytes} bytes";
        }

        return null;
    }

    /// <summary>Returns why <paramref name="name"/> is not a valid field name, or null when it is.</summary>
    public static string? ValidateFieldName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a field name must not be empty";
        }

        if (name.Length > 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal))
        {
            return $"field name '{Shorten(name)}' matches __.*__, which Firestore reserves";
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxIdBytes)
        {
            return $"field name '{Shorten(name)}' is {bytes} bytes long; Firestore allows at most {MaxIdBytes} bytes";
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
