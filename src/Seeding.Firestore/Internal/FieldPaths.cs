using System.Text;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Firestore field paths as the API expects them in masks, transforms and filters: segments joined by dots,
/// each segment quoted with backticks unless it is a simple identifier (so <c>a.b</c> as one name stays one segment).
/// </summary>
internal static class FieldPaths
{
    public static string Segment(string name)
    {
        if (IsSimple(name))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 2).Append('`');
        foreach (var c in name)
        {
            if (c is '`' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('`').ToString();
    }

    public static string Join(IEnumerable<string> segments) => string.Join('.', segments.Select(Segment));

    private static bool IsSimple(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
