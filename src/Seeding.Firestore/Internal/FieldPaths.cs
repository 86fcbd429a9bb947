using System.Text;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Firestore field paths as the API expects them in masks, transforms and filters: segments joined by dots,
/// each segment quoted with backticks unless it is a simple identifier (so <c>a.b</c> as one name stays one segment).
/// Seeding's declarations (index and field-override steps) hold a path as names joined by '.', unquoted
/// (<c>profile.e-mail</c>): <see cref="Quoted"/> turns it into the API's form (<c>profile.`e-mail`</c>) and
/// <see cref="Unquoted"/> reads the API's form back.
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

    /// <summary>A declared path (names joined by '.', none quoted) in the API's form.</summary>
    public static string Quoted(string dottedPath) => Join(dottedPath.Split('.'));

    /// <summary>
    /// The declared form (names joined by '.') of a field path as the API writes it, or null when it has none: the
    /// path is malformed, or one of its names holds a '.', which a declaration cannot name.
    /// </summary>
    public static string? Unquoted(string fieldPath)
    {
        if (Parse(fieldPath) is not { } segments || segments.Any(s => s.Contains('.', StringComparison.Ordinal)))
        {
            return null;
        }

        return string.Join('.', segments);
    }

    /// <summary>The names of a field path in the API's form (the inverse of <see cref="Join"/>), or null when it is malformed.</summary>
    public static IReadOnlyList<string>? Parse(string fieldPath)
    {
        var segments = new List<string>();
        var i = 0;
        while (true)
        {
            var segment = new StringBuilder();
            if (i < fieldPath.Length && fieldPath[i] == '`')
            {
                // Quoted: up to the closing backtick; a backslash takes the next character as it is.
                for (i++; i < fieldPath.Length && fieldPath[i] != '`'; i++)
                {
                    if (fieldPath[i] == '\\' && ++i == fieldPath.Length)
                    {
                        return null;
                    }

                    segment.Append(fieldPath[i]);
                }

                if (i++ == fieldPath.Length || segment.Length == 0)
                {
                    return null; // unterminated, or ``
                }
            }
            else
            {
                for (; i < fieldPath.Length && fieldPath[i] != '.'; i++)
                {
                    segment.Append(fieldPath[i]);
                }

                if (!IsSimple(segment.ToString()))
                {
                    return null;
                }
            }

            segments.Add(segment.ToString());
            if (i == fieldPath.Length)
            {
                return segments;
            }

            if (fieldPath[i++] != '.')
            {
                return null; // text after a closing backtick
            }
        }
    }

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
