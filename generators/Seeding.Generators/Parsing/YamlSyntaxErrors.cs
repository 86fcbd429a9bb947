using System;
using System.Globalization;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace Seeding.Generators.Parsing;

/// <summary>
/// Says in Seeding's own words what YamlDotNet rejected, and where: the character that is wrong when it is known,
/// else the start of the construct that is unfinished. YamlDotNet's messages (libyaml's "While scanning ...",
/// or a bare .NET exception for some input) never reach a diagnostic: each failure mode maps to a sentence with
/// what is wrong and what to do, and an unknown one to a general sentence about the character at the position.
/// </summary>
internal static class YamlSyntaxErrors
{
    /// <summary>Which of YamlDotNet's two marks points at the problem: the construct's start, or where reading stopped.</summary>
    private enum Point
    {
        Context,
        Problem,
    }

    private const string DirectiveAdvice = "a line starting with '%' is a YAML directive, and seed files need none; remove the line, or quote a value that starts with '%'";
    private const string IncompatibleVersion = "only YAML 1.x documents can be read; remove the %YAML line";
    private const string TagAdvice = "seed files use the tags !now, !timestamp, !ref, !geo, !bytes and !env, followed by a space and the value";
    private const string EscapeAdvice = "escapes in double quotes are \\\\, \\\", \\n, \\t, \\xXX, \\uXXXX and \\UXXXXXXXX; use single quotes for text with backslashes";

    /// <summary>YamlDotNet's messages, matched by a distinctive part, with the message we show instead.</summary>
    private static readonly (string Stem, Point At, string Message)[] Known =
    {
        ("could not find expected ':'", Point.Problem, "this line is read as a key, but no ':' follows it; add ': value', or indent it if it continues the value above"),
        ("Invalid key indicator format", Point.Problem, "'?' cannot start a value here (it marks a complex key, which seed files do not use); quote the text if it starts with '?'"),
        ("comment between adjacent scalars", Point.Problem, "a comment sits inside a value that continues on the next line; move the comment after the value, or join the lines"),
        ("found invalid tab as indentation", Point.Problem, "a tab is used for indentation, but YAML indents with spaces only; replace the tab with spaces"),
        ("tab character that violate indentation", Point.Problem, "a tab is used for indentation, but YAML indents with spaces only; replace the tab with spaces"),
        ("character that cannot start any token", Point.Context, "a value cannot start with {char}; quote the value"),
        ("invalid content after '...' marker", Point.Problem, "'...' ends the YAML document, so nothing may follow it on its line; remove the text after it"),
        ("invalid comment after", Point.Problem, "a comment needs a space before its '#'; add one, or quote the value if '#' belongs to it"),
        ("Anchor before sequence entry on same line", Point.Context, "an anchor (&name) cannot stand before a list item's '-' on the same line; put it after the '-'"),
        ("Block sequence entries are not allowed in this context", Point.Problem, "a list item '-' cannot start here; put it on its own line under its key, or quote the value if it starts with '-'"),
        ("Mapping keys are not allowed in this context", Point.Problem, "'?' cannot start a key here; quote the text if it starts with '?'"),
        ("Mapping values are not allowed in this context", Point.Problem, "': ' cannot appear here (a value cannot hold a key); quote the value if the colon is part of its text, or put the key on its own line"),
        ("found invalid mapping", Point.Problem, "': ' cannot appear in a value that continues over several lines; quote the value, or put the key on its own line"),
        ("anchor or alias, found value containing disallowed", Point.Problem, "an anchor or alias name (&name, *name) may not contain '[', ']', '{', '}' or ','; use letters, digits, '-' and '_'"),
        ("did not find the expected '>'", Point.Context, "a verbatim tag '!<' has no closing '>'; " + TagAdvice),
        ("did not find expected whitespace, comma or line break", Point.Problem, "a tag must be followed by a space before its value; " + TagAdvice),
        ("Unexpected comma at end of tag", Point.Problem, "a tag cannot end with ','; " + TagAdvice),
        ("did not find URI escaped octet", Point.Context, "a '%' in a tag must start an escape such as %21; " + TagAdvice),
        ("UTF-8 octet", Point.Context, "a '%' escape in this tag is not valid UTF-8; " + TagAdvice),
        ("incorrect UTF-8 sequence", Point.Context, "a '%' escape in this tag is not valid UTF-8; " + TagAdvice),
        ("While scanning a tag, did not find expected '!'", Point.Context, "this tag is malformed; " + TagAdvice),
        ("indentation indicator equal to 0", Point.Problem, "the indentation digit after '|' or '>' must be 1 to 9"),
        ("comment without whtespace after", Point.Problem, "a comment after '|' or '>' needs a space before its '#'"),
        ("While scanning a block scalar, did not find expected comment or line break", Point.Problem, "after '|' or '>' only '+', '-', an indentation digit or a comment may follow on the same line; start the text on the next line, indented"),
        ("extra spaces in first line", Point.Problem, "the first line of this block text is indented less than the blank lines above it; remove the spaces from the blank lines, or give the indentation as a digit after '|' or '>'"),
        ("more spaces in lines above first content line", Point.Problem, "the first line of this block text is indented less than the blank lines above it; remove the spaces from the blank lines, or give the indentation as a digit after '|' or '>'"),
        ("quoted scalar, found unexpected document indicator", Point.Problem, "a line inside this quoted text starts with '---' or '...', which ends the YAML document; indent that line, or close the quote before it"),
        ("quoted scalar, found unexpected end of stream", Point.Context, "this quoted string has no closing quote. Add the closing {quote} where the text ends"),
        ("multi-line double-quoted scalar, found wrong indentation", Point.Problem, "this line of a quoted text is indented less than its key; indent it further"),
        ("found unknown escape character", Point.Problem, "unknown escape sequence in double quotes; " + EscapeAdvice),
        ("did not find expected hexadecimal number", Point.Problem, "\\x, \\u and \\U need 2, 4 and 8 hexadecimal digits; " + EscapeAdvice),
        ("found invalid Unicode surrogates", Point.Problem, "this \\u escape is half of a surrogate pair without its other half; write the character itself, or one \\UXXXXXXXX escape"),
        ("invalid Unicode character escape code", Point.Problem, "this escape is not a Unicode character; " + EscapeAdvice),
        ("Found duplicate", Point.Context, DirectiveAdvice),
        ("incompatible YAML document", Point.Context, IncompatibleVersion),
        ("directive", Point.Problem, DirectiveAdvice),
        ("%YAML", Point.Problem, DirectiveAdvice),
        ("%TAG", Point.Problem, DirectiveAdvice),
        ("found more than one anchor", Point.Context, "this value has two anchors (&name); keep one"),
        ("While parsing a node, did not find expected token", Point.Context, "an alias (*name) cannot have an anchor or a tag; remove the '&' or '!' before it"),
        ("did not find expected node content", Point.Context, "a value is missing here, or starts with a character YAML reserves; write the value, quoted if needed"),
        ("flow sequence, did not find expected ',' or ']'", Point.Context, "the list in [ ] needs a ',' between items and a closing ']'; add the missing one, or quote an item that contains these characters"),
        ("flow mapping, did not find expected ',' or '}'", Point.Context, "the mapping in { } needs a ',' between entries and a closing '}'; add the missing one, or quote a value that contains these characters"),
        ("flow mapping,  did not find expected ',' or '}'", Point.Context, "the mapping in { } needs a ',' between entries and a closing '}'; add the missing one, or quote a value that contains these characters"),
        ("block mapping, did not find expected key", Point.Context, "this line is not indented like the keys of its mapping (or a value above it is not closed); align it with the keys, or close the value"),
        ("block collection, did not find expected '-' indicator", Point.Context, "this line is not a list item like the ones above it; start it with '- ', or align it with the key it belongs to"),
        ("Reached the end of the stream", Point.Problem, "the file ends in the middle of a value; complete it"),
        ("Did not find expected <document start>", Point.Context, "this text follows the end of the YAML document; remove it, or indent it under the key it belongs to"),
        ("Did not find expected <document end>", Point.Context, "this text cannot follow the value before it, which ends the file's top level; align it with the other keys, or fix the line above"),
        ("The scanner should contain no more tokens", Point.Problem, "this text follows the end of the YAML document; remove it, or indent it under the key it belongs to"),
    };

    /// <summary>
    /// The start of the general sentence for a failure not in <see cref="Known"/> (a new YamlDotNet message, say).
    /// The fuzz test fails on it, so each failure mode it meets gets its own words here.
    /// </summary>
    internal const string Unmapped = "YAML cannot read the text from ";

    /// <summary>A plain value inside [ ] or { } continued on a line indented less than its block (YamlDotNet throws a bare exception).</summary>
    private const string FlowContinuation = "this line continues a value inside [ ] or { } but is indented less than the key that holds them; indent the line, or keep the value on one line";

    /// <summary>The diagnostic for <paramref name="failure"/>, thrown by YamlDotNet (or by our reader) while <paramref name="scanner"/> read the file.</summary>
    public static DiagnosticInfo Describe(Exception failure, IScanner scanner, string content, SourceMap map)
    {
        if (failure is ArgumentException && scanner.Current is Tag tag)
        {
            // YamlDotNet scans some tags it cannot hold (an empty '!<>', a '!!' suffix that is no URI).
            return UnknownTag(Position(tag.Start), Position(tag.End), map);
        }

        if (failure is YamlException { Message: var text } yaml && text.Contains("undefined tag handle"))
        {
            return UnknownTag(Position(yaml.Start), Position(yaml.End), map);
        }

        // Where the scanner stopped, unless the failure carries its own marks (some are thrown without).
        var at = failure is SeedYamlException ours ? ours.Start : Position(scanner.CurrentPosition);
        var message = (failure as SeedYamlException)?.Message;
        var point = Point.Problem;
        foreach (var known in Known)
        {
            // YamlDotNet's own texts are fixed English (even on its bare InvalidOperationExceptions).
            if (message is null && failure.Message.IndexOf(known.Stem, StringComparison.Ordinal) >= 0)
            {
                message = known.Message;
                point = known.At;
                break;
            }
        }

        if (failure is YamlException located && !(located.Start.Equals(Mark.Empty) && located.End.Equals(Mark.Empty)))
        {
            at = Position(point == Point.Context ? located.Start : located.End);
        }

        if (message is null && ThrownIn(failure, "ScanPlainScalar"))
        {
            message = FlowContinuation;
        }
        else if (message is null && ThrownIn(failure, "ScanFlowScalar"))
        {
            // char.ConvertToUtf32 on a \uDC00\uD800 pair (low half first).
            message = "these \\u escapes do not make a surrogate pair (high half U+D800-U+DBFF first, then low half U+DC00-U+DFFF); write the character itself, or one \\UXXXXXXXX escape";
        }

        var offset = map.OffsetOf(at);
        if (message is DirectiveAdvice or IncompatibleVersion)
        {
            // YamlDotNet marks a directive's problem after it (on the '---' line): point at the directive itself.
            offset = DirectiveLineBefore(content, offset);
        }

        var lineBreak = UnicodeLineBreakBefore(content, offset);
        if (lineBreak >= 0)
        {
            // YamlDotNet reads U+0085, U+2028 and U+2029 as line breaks (YAML 1.1), which nobody sees in an editor.
            var name = CharacterName(content[lineBreak]);
            message = $"{name} is read as a line break, so the line ends here and the text after it starts a new one; write it as an escape ({Escape(content[lineBreak])}) inside double quotes, or remove it";
            offset = lineBreak;
        }

        message ??= offset < content.Length
            ? $"{Unmapped}{CharacterName(content[offset])} on; check the quotes, brackets and indentation here and on the line above"
            : Unmapped + "the end of the file: check for a missing closing quote or bracket";
        message = message
            .Replace("{quote}", offset < content.Length && content[offset] == '\'' ? "'" : "\"")
            .Replace("{char}", offset < content.Length ? CharacterName(content[offset]) : "the end of the file");
        var position = map.PositionAt(offset);
        return DiagnosticInfo.Create(SeedingDiagnostics.YamlSyntaxError, map.At(position, position), message);
    }

    /// <summary>Whether YamlDotNet's <paramref name="method"/> threw it (method names in a stack trace are not translated).</summary>
    private static bool ThrownIn(Exception failure, string method) =>
        failure is not YamlException && failure.StackTrace?.IndexOf(method, StringComparison.Ordinal) >= 0;

    /// <summary>
    /// YAML 1.2 allows only printable characters in a file: tab, line breaks, and everything from a space on except
    /// DEL, the C1 controls (but U+0085), lone surrogates and U+FFFE/U+FFFF. YamlDotNet would read a NUL as the end of
    /// the file and silently drop the rest, so the first other character is reported before parsing.
    /// </summary>
    public static DiagnosticInfo? CheckCharacters(string content, SourceMap map)
    {
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (char.IsHighSurrogate(c) && i + 1 < content.Length && char.IsLowSurrogate(content[i + 1]))
            {
                i++;
                continue;
            }

            if (!IsPrintable(c))
            {
                var position = map.PositionAt(i);
                var hint = c == '\0' ? " (a file saved as UTF-16, or not a text file, shows NULs)" : string.Empty;
                var escape = char.IsSurrogate(c) ? "write the whole character" : $"write it as an escape ({Escape(c)}) inside double quotes";
                return DiagnosticInfo.Create(SeedingDiagnostics.YamlSyntaxError, map.At(position, position),
                    $"{CharacterName(c)} is not allowed in a YAML file{hint}; remove it, or {escape}");
            }
        }

        return null;
    }

    private static string Escape(char c) => c <= '\u00FF'
        ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture)
        : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static bool IsPrintable(char c) =>
        c is '\t' or '\n' or '\r' or '\u0085'
        || (c >= ' ' && c <= '~')
        || (c >= '\u00A0' && c <= '\uD7FF')
        || (c >= '\uE000' && c <= '\uFFFD');

    private static DiagnosticInfo UnknownTag(TextPosition start, TextPosition end, SourceMap map)
    {
        var location = map.At(start, end);
        var text = map.Text(location);
        return DiagnosticInfo.Create(SeedingDiagnostics.UnknownTag, location, YamlNode.Shorten(text.Length == 0 ? "!" : text));
    }

    /// <summary>The start of the last line beginning with '%' at or before <paramref name="offset"/>; else <paramref name="offset"/>.</summary>
    private static int DirectiveLineBefore(string content, int offset)
    {
        for (var i = Math.Min(offset, content.Length - 1); i >= 0; i--)
        {
            if (content[i] == '%' && (i == 0 || content[i - 1] is '\n' or '\r'))
            {
                return i;
            }
        }

        return offset;
    }

    /// <summary>The offset of a U+0085, U+2028 or U+2029 that ends the line before <paramref name="offset"/>, when only blanks lie between; else -1.</summary>
    private static int UnicodeLineBreakBefore(string content, int offset)
    {
        var i = Math.Min(offset, content.Length) - 1;
        while (i >= 0 && content[i] is ' ' or '\t')
        {
            i--;
        }

        return i >= 0 && content[i] is '\u0085' or '\u2028' or '\u2029' ? i : -1;
    }

    /// <summary>A character as people can find it: "'x'" for visible ones, "U+2028 (line separator)" for the rest.</summary>
    internal static string CharacterName(char c)
    {
        var name = c switch
        {
            '\0' => "NUL",
            '\u0085' => "next line",
            '\u2028' => "line separator",
            '\u2029' => "paragraph separator",
            '\u007F' => "DEL",
            '\uFEFF' => "byte order mark",
            _ when char.IsSurrogate(c) => "a lone surrogate, half of a character",
            _ when char.IsControl(c) => "a control character",
            _ => null,
        };

        return name is null && IsPrintable(c) && !char.IsWhiteSpace(c)
            ? $"'{c}'"
            : $"U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}{(name is null ? string.Empty : $" ({name})")}";
    }

    internal static TextPosition Position(Mark mark) =>
        new((int)Math.Max(0, mark.Line - 1), (int)Math.Max(0, mark.Column - 1), (int)Math.Max(0, mark.Index));
}
