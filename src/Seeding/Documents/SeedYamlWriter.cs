using System.Globalization;
using System.Text;
using Seeding.Values;

namespace Seeding.Documents;

/// <summary>
/// Writes stored values as YAML in the seed format (docs/seed-format.md), so a document can be pasted into a seed file
/// and reads back as the same values: integers stay integers and doubles doubles (<c>891.0</c>, <c>.nan</c>,
/// <c>-.inf</c>), timestamps are <c>!timestamp</c> (the server time placeholder <c>!now</c>), references <c>!ref</c>,
/// geo points <c>!geo [lat, lon]</c>, bytes <c>!bytes</c> base64, and a string is written plain only when YAML cannot
/// read it as anything else (not <c>null</c>, <c>yes</c>, <c>0x10</c>, <c>2024-05-01</c>, <c>a: b</c>...); otherwise it is
/// double-quoted, with escapes for line breaks and invisible characters. Keys follow the same rule. Fields are written
/// with <c>id</c> first, then in ordinal order, so the output is stable. <c>seeding pull</c> writes whole seed files with it
/// (documents by id, <see cref="DocumentEntry"/>; references it does not declare as <c>!ref:external</c>).
/// </summary>
public static class SeedYamlWriter
{
    private const string IdField = "id";

    // Plain words that YAML 1.1 or 1.2 readers take for null or a boolean (compared case-insensitively).
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "null", "true", "false", "yes", "no", "on", "off", "y", "n" };

    /// <summary>The fields as a block mapping, one <c>key: value</c> per line (nested maps and lists of maps indented below), each line indented by <paramref name="indent"/> spaces.</summary>
    public static string Mapping(IReadOnlyDictionary<string, Value> fields, int indent = 0) => BlockMapping(fields, indent, null);

    /// <summary>The fields as a block mapping, as <see cref="Mapping(IReadOnlyDictionary{string, Value}, int)"/>, with references as <see cref="Inline(Value, Func{DocumentPath, bool})"/> writes them.</summary>
    public static string BlockMapping(IReadOnlyDictionary<string, Value> fields, int indent, Func<DocumentPath, bool>? isDeclared)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentOutOfRangeException.ThrowIfNegative(indent);
        var builder = new StringBuilder();
        if (fields.Count == 0)
        {
            builder.Append(' ', indent).Append("{}\n");
        }
        else
        {
            WriteEntries(builder, fields, new string(' ', indent), indent, isDeclared);
        }

        return builder.ToString();
    }

    /// <summary>
    /// One document of a <c>documents:</c> mapping by id, at <paramref name="indent"/> spaces: <c>id:</c> with the fields as
    /// a block mapping below it (<c>id: {}</c> when it has none). The id is a key, not a field, so nothing is added to the
    /// document. A reference whose target <paramref name="isDeclared"/> says is not declared alongside is written
    /// <c>!ref:external</c> (no seed file of the project needs to create it); null writes every reference as <c>!ref</c>.
    /// </summary>
    public static string DocumentEntry(string id, IReadOnlyDictionary<string, Value> fields, int indent = 0, Func<DocumentPath, bool>? isDeclared = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentOutOfRangeException.ThrowIfNegative(indent);
        var builder = new StringBuilder();
        builder.Append(' ', indent).Append(Scalar(id)).Append(':');
        if (fields.Count == 0)
        {
            builder.Append(" {}\n");
        }
        else
        {
            builder.Append('\n');
            WriteEntries(builder, fields, new string(' ', indent + 2), indent + 2, isDeclared);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The fields as one item of a block sequence (<c>- id: a</c>, then the other fields below it), at
    /// <paramref name="indent"/> spaces: what a seed file's <c>documents:</c> list holds.
    /// </summary>
    public static string SequenceItem(IReadOnlyDictionary<string, Value> fields, int indent = 0)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentOutOfRangeException.ThrowIfNegative(indent);
        var builder = new StringBuilder();
        if (fields.Count == 0)
        {
            builder.Append(' ', indent).Append("- {}\n");
        }
        else
        {
            WriteEntries(builder, fields, new string(' ', indent) + "- ", indent + 2, null);
        }

        return builder.ToString();
    }

    /// <summary>A value on one line, in flow style for maps and lists (<c>{a: 1}</c>, <c>[1, 2]</c>).</summary>
    public static string Inline(Value value) => Inline(value, null);

    /// <summary>
    /// A value on one line, as <see cref="Inline(Value)"/>; a reference (also nested) whose target
    /// <paramref name="isDeclared"/> rejects is written <c>!ref:external</c>.
    /// </summary>
    public static string Inline(Value value, Func<DocumentPath, bool>? isDeclared)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Kind switch
        {
            ValueKind.Null => "null",
            ValueKind.Boolean => value.AsBoolean() ? "true" : "false",
            ValueKind.Integer => value.AsInteger().ToString(CultureInfo.InvariantCulture),
            ValueKind.Double => Number(value.AsDouble()),
            ValueKind.Timestamp => value.AsTimestamp().IsServerTime ? "!now" : "!timestamp " + value.AsTimestamp(),
            ValueKind.String => Scalar(value.AsString()),
            ValueKind.Bytes => value.AsBytes().Length == 0 ? "!bytes \"\"" : "!bytes " + Convert.ToBase64String(value.AsBytes().Span),
            ValueKind.Reference => (isDeclared is null || isDeclared(value.AsReference()) ? "!ref " : "!ref:external ") + Scalar(value.AsReference().ToString()),
            ValueKind.GeoPoint => $"!geo [{Number(value.AsGeoPoint().Latitude)}, {Number(value.AsGeoPoint().Longitude)}]",
            ValueKind.Array => "[" + string.Join(", ", value.AsArray().Select(v => Inline(v, isDeclared))) + "]",
            ValueKind.Map => "{" + string.Join(", ", Ordered(value.AsMap()).Select(f => Scalar(f.Key) + ": " + Inline(f.Value, isDeclared))) + "}",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "Unknown value kind."),
        };
    }

    /// <summary>
    /// A string as a YAML scalar that reads back as that string: plain when it starts with a letter or <c>_</c>, holds
    /// only letters, digits, spaces and <c>_ - . / @</c>, does not end in a space and is no null or boolean word;
    /// otherwise double-quoted with <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\t</c> and <c>\uXXXX</c> escapes for control and
    /// invisible formatting characters.
    /// </summary>
    public static string Scalar(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsPlain(text) ? text : Quote(text);
    }

    private static void WriteEntries(StringBuilder builder, IReadOnlyDictionary<string, Value> fields, string firstPrefix, int indent, Func<DocumentPath, bool>? isDeclared)
    {
        var pad = new string(' ', indent);
        var first = true;
        foreach (var (key, value) in Ordered(fields))
        {
            builder.Append(first ? firstPrefix : pad).Append(Scalar(key)).Append(':');
            first = false;
            if (value.Kind == ValueKind.Map && value.AsMap().Count > 0)
            {
                builder.Append('\n');
                WriteEntries(builder, value.AsMap(), new string(' ', indent + 2), indent + 2, isDeclared);
            }
            else if (value.Kind == ValueKind.Array && value.AsArray().Any(v => v.Kind == ValueKind.Map && v.AsMap().Count > 0))
            {
                builder.Append('\n');
                foreach (var item in value.AsArray())
                {
                    if (item.Kind == ValueKind.Map && item.AsMap().Count > 0)
                    {
                        WriteEntries(builder, item.AsMap(), new string(' ', indent + 2) + "- ", indent + 4, isDeclared);
                    }
                    else
                    {
                        builder.Append(' ', indent + 2).Append("- ").Append(Inline(item, isDeclared)).Append('\n');
                    }
                }
            }
            else
            {
                builder.Append(' ').Append(Inline(value, isDeclared)).Append('\n');
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, Value>> Ordered(IReadOnlyDictionary<string, Value> fields) =>
        fields.OrderBy(f => f.Key == IdField ? 0 : 1).ThenBy(f => f.Key, StringComparer.Ordinal);

    // Shortest text that reads back as the same double, and never as an integer.
    private static string Number(double value)
    {
        if (double.IsNaN(value))
        {
            return ".nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? ".inf" : "-.inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().TrimStart('-').ContainsAnyExcept("0123456789") ? text : text + ".0";
    }

    private static bool IsPlain(string text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_') || text[^1] == ' ' || Reserved.Contains(text))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '@' or ' ') || IsInvisible(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                case '\r': builder.Append("\\r"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || IsInvisible(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    // Characters a reader would not see or would take as a line break: formatting (zero-width, bidirectional
    // overrides, the byte order mark), line and paragraph separators.
    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
