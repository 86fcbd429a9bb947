using System;
using System.Globalization;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>
/// The YAML 1.2 core schema for plain scalars: null, booleans, integers (decimal, 0o octal, 0x hex) and
/// floats (with .inf and .nan); everything else is a string. Quoted and block scalars are always strings.
/// The patterns are matched by hand, not by regular expressions: this runs for every plain scalar of every file,
/// in a compiler process where each regex would first be built and its interpreter JIT-compiled.
/// </summary>
internal static class ScalarResolver
{
    public static bool IsNull(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Resolves a plain scalar. Returns null (with <paramref name="outOfRange"/>) for numbers that do not fit.</summary>
    public static ValueModel? ResolvePlain(string text, out bool outOfRange)
    {
        outOfRange = false;
        if (IsNull(text))
        {
            return ValueModel.Null;
        }

        switch (text)
        {
            case "true" or "True" or "TRUE":
                return ValueModel.Scalar(ValueKindModel.Boolean, "true");
            case "false" or "False" or "FALSE":
                return ValueModel.Scalar(ValueKindModel.Boolean, "false");
        }

        // A regex's '$' also matched before one final '\n'; the patterns see the text without it, as they did.
        var length = text.Length > 0 && text[text.Length - 1] == '\n' ? text.Length - 1 : text.Length;
        if (IsDecimal(text, length) || IsRadix(text, length, 'o') || IsRadix(text, length, 'x'))
        {
            var integer = ParseInteger(text);
            outOfRange = integer is null;
            return integer is null ? null : ValueModel.Scalar(ValueKindModel.Integer, integer.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (IsSpecial(text, length, allowSign: true, "inf", "Inf", "INF"))
        {
            return ValueModel.Double(text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity);
        }

        if (IsSpecial(text, length, allowSign: false, "nan", "NaN", "NAN"))
        {
            return ValueModel.Double(double.NaN);
        }

        if (IsFloat(text, length))
        {
            var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            outOfRange = double.IsInfinity(value);
            return outOfRange ? null : ValueModel.Double(value);
        }

        return ValueModel.Scalar(ValueKindModel.String, text);
    }

    /// <summary><c>[-+]?[0-9]+</c></summary>
    private static bool IsDecimal(string text, int length)
    {
        var i = SignLength(text, length);
        return Digits(text, ref i, length) > 0 && i == length;
    }

    /// <summary><c>0o[0-7]+</c> or <c>0x[0-9a-fA-F]+</c></summary>
    private static bool IsRadix(string text, int length, char prefix)
    {
        if (length < 3 || text[0] != '0' || text[1] != prefix)
        {
            return false;
        }

        for (var i = 2; i < length; i++)
        {
            var c = text[i];
            var ok = prefix == 'o' ? c is >= '0' and <= '7' : c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>[-+]?\.(inf|Inf|INF)</c> (with a sign) or <c>\.(nan|NaN|NAN)</c></summary>
    private static bool IsSpecial(string text, int length, bool allowSign, string lower, string title, string upper)
    {
        var i = allowSign ? SignLength(text, length) : 0;
        if (length - i != 4 || text[i] != '.')
        {
            return false;
        }

        var word = text.Substring(i + 1, 3);
        return word == lower || word == title || word == upper;
    }

    /// <summary><c>[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?</c></summary>
    private static bool IsFloat(string text, int length)
    {
        var i = SignLength(text, length);
        if (i < length && text[i] == '.')
        {
            i++;
            if (Digits(text, ref i, length) == 0)
            {
                return false;
            }
        }
        else
        {
            if (Digits(text, ref i, length) == 0)
            {
                return false;
            }

            if (i < length && text[i] == '.')
            {
                i++;
                Digits(text, ref i, length);
            }
        }

        if (i < length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < length && text[i] is '-' or '+')
            {
                i++;
            }

            if (Digits(text, ref i, length) == 0)
            {
                return false;
            }
        }

        return i == length;
    }

    private static int SignLength(string text, int length) => length > 0 && text[0] is '-' or '+' ? 1 : 0;

    /// <summary>Skips ASCII digits from <paramref name="i"/>; returns how many.</summary>
    private static int Digits(string text, ref int i, int length)
    {
        var start = i;
        while (i < length && text[i] is >= '0' and <= '9')
        {
            i++;
        }

        return i - start;
    }

    private static long? ParseInteger(string text)
    {
        if (text.StartsWith("0o", StringComparison.Ordinal) || text.StartsWith("0x", StringComparison.Ordinal))
        {
            var radix = text[1] == 'o' ? 8 : 16;
            ulong value = 0;
            foreach (var c in text.Substring(2))
            {
                var digit = (ulong)Convert.ToInt32(c.ToString(), 16);
                if (value > (ulong.MaxValue - digit) / (ulong)radix)
                {
                    return null;
                }

                value = (value * (ulong)radix) + digit;
            }

            return value > long.MaxValue ? null : (long)value;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }
}
