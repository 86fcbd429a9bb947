using System.Globalization;
using System.Text;

namespace Seeding.Generators.Emit;

/// <summary>
/// Puts YAML text into generated C# safely: string literals that hold exactly the original characters,
/// and comment/XML-doc text that cannot end the comment or start a new line.
/// </summary>
internal static class CSharpText
{
    /// <summary>
    /// An ordinary "..." literal. Printable ASCII stays as is (except quote and backslash); letters, digits,
    /// punctuation and symbols of the BMP stay readable; everything else, including line and paragraph
    /// separators, format characters (bidi controls) and surrogates, becomes a \uXXXX escape.
    /// </summary>
    public static string Literal(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (IsSafeVerbatim(c))
                    {
                        builder.Append(c);
                    }
                    else
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>One line of text for a // comment or an XML doc: no line breaks, no control or format characters, XML-escaped, shortened.</summary>
    public static string Comment(string text, int maxLength = 200)
    {
        var builder = new StringBuilder();
        var lastWasSpace = false;
        foreach (var c in text)
        {
            var visible = IsSafeVerbatim(c) ? c : ' ';
            if (visible == ' ' && (lastWasSpace || builder.Length == 0))
            {
                continue;
            }

            lastWasSpace = visible == ' ';
            switch (visible)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '/' when builder.Length > 0 && builder[builder.Length - 1] == '*':
                    builder.Append(' ').Append('/');
                    break;
                default: builder.Append(visible); break;
            }

            if (builder.Length >= maxLength)
            {
                builder.Append("...");
                break;
            }
        }

        return builder.ToString().TrimEnd();
    }

    private static bool IsSafeVerbatim(char c)
    {
        if (c >= 0x20 && c < 0x7F)
        {
            return true;
        }

        if (c < 0xA0 || char.IsSurrogate(c))
        {
            return false;
        }

        switch (CharUnicodeInfo.GetUnicodeCategory(c))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.DashPunctuation:
            case UnicodeCategory.OpenPunctuation:
            case UnicodeCategory.ClosePunctuation:
            case UnicodeCategory.InitialQuotePunctuation:
            case UnicodeCategory.FinalQuotePunctuation:
            case UnicodeCategory.OtherPunctuation:
            case UnicodeCategory.MathSymbol:
            case UnicodeCategory.CurrencySymbol:
            case UnicodeCategory.ModifierSymbol:
            case UnicodeCategory.OtherSymbol:
                return true;
            default:
                return false;
        }
    }

    public static string Long(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
