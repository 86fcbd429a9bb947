using System.Globalization;

namespace Seeding.Cli.Output;

/// <summary>
/// How user data (document ids and paths, seed ids, service names, descriptions) is shown in text output: the one
/// place that escapes it and shortens it. A value that a terminal would show wrongly or not at all — line breaks,
/// control characters, bidirectional overrides (U+202E turns "txt.exe" into "exe.txt"), zero-width characters, lone
/// surrogates — is shown quoted with C-style escapes, e.g. <c>"users/a\nb"</c> or <c>"\u202Eevil"</c>. Plain
/// values are shown as they are; a plain value never starts with a quote and never holds an ellipsis (both are
/// escaped), so the quoted form and a shortened value (<c>head…tail</c>) cannot be mistaken for a real value.
/// JSON output needs none of this: its encoder escapes by the JSON rules.
/// </summary>
internal static class Printable
{
    /// <summary>The marker of a shortened value; escaped when it occurs in a value.</summary>
    public const char Ellipsis = '\u2026';

    /// <summary>The value as text output shows it.</summary>
    public static string Escape(string value) => Shorten(value, int.MaxValue);

    /// <summary>
    /// The value as <see cref="Escape"/> shows it, shortened to at most <paramref name="maxWidth"/> characters by
    /// keeping its start and end around an ellipsis (an escape sequence is never cut).
    /// </summary>
    public static string Shorten(string value, int maxWidth)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quoted = value.StartsWith('"') || NeedsQuotes(value);
        var tokens = Tokens(value, quoted);
        var length = tokens.Sum(t => t.Length) + (quoted ? 2 : 0);
        if (length > maxWidth)
        {
            // Two thirds of the room for the start (where ids differ most), the rest for the end.
            var room = Math.Max(2, maxWidth - (quoted ? 2 : 0) - 1);
            var head = Take(tokens, room * 2 / 3);
            var tail = Take(Enumerable.Reverse(tokens), room - head.Sum(t => t.Length));
            tail.Reverse();
            tokens = [.. head, Ellipsis.ToString(), .. tail];
        }

        return quoted ? $"\"{string.Concat(tokens)}\"" : string.Concat(tokens);
    }

    private static List<string> Take(IEnumerable<string> tokens, int width)
    {
        var taken = new List<string>();
        var used = 0;
        foreach (var token in tokens)
        {
            if (used + token.Length > width)
            {
                break;
            }

            taken.Add(token);
            used += token.Length;
        }

        return taken;
    }

    // One token per character (a surrogate pair is one), spelled as the quoted form needs when quoted.
    private static List<string> Tokens(string value, bool quoted)
    {
        var tokens = new List<string>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                tokens.Add(value.Substring(i, 2));
                i++;
            }
            else if (!quoted)
            {
                tokens.Add(c.ToString());
            }
            else
            {
                tokens.Add(c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    '\\' => "\\\\",
                    '"' => "\\\"",
                    _ when NeedsEscape(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                    _ => c.ToString(),
                });
            }
        }

        return tokens;
    }

    private static bool NeedsQuotes(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++; // a well-formed pair (an emoji, say) prints fine
            }
            else if (NeedsEscape(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c)
        || char.IsSurrogate(c) // unpaired
        || c is Ellipsis
        || c is '\u061C' or '\u200E' or '\u200F' // bidirectional marks
        || c is >= '\u202A' and <= '\u202E' // bidirectional embeddings and overrides
        || c is >= '\u2066' and <= '\u2069' // bidirectional isolates
        || c is >= '\u200B' and <= '\u200D' or '\u2060' or '\uFEFF' // zero-width characters
        || c is '\u2028' or '\u2029' // line and paragraph separators
        || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
