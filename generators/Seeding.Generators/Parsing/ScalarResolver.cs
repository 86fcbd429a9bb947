using System;
using System.Globalization;
using System.Text.RegularExpressions;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>
/// The YAML 1.2 core schema for plain scalars: null, booleans, integers (decimal, 0o octal, 0x hex) and
/// floats (with .inf and .nan); everything else is a string. Quoted and block scalars are always strings.
/// </summary>
internal static class ScalarResolver
{
    private static readonly Regex Decimal = new(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Octal = new(@"^0o[0-7]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Hex = new(@"^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex Infinity = new(@"^[-+]?\.(inf|Inf|INF)$", RegexOptions.CultureInvariant);
    private static readonly Regex NotANumber = new(@"^\.(nan|NaN|NAN)$", RegexOptions.CultureInvariant);

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

        if (Decimal.IsMatch(text) || Octal.IsMatch(text) || Hex.IsMatch(text))
        {
            var integer = ParseInteger(text);
            outOfRange = integer is null;
            return integer is null ? null : ValueModel.Scalar(ValueKindModel.Integer, integer.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (Infinity.IsMatch(text))
        {
            return ValueModel.Double(text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity);
        }

        if (NotANumber.IsMatch(text))
        {
            return ValueModel.Double(double.NaN);
        }

        if (Float.IsMatch(text))
        {
            var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            outOfRange = double.IsInfinity(value);
            return outOfRange ? null : ValueModel.Double(value);
        }

        return ValueModel.Scalar(ValueKindModel.String, text);
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
