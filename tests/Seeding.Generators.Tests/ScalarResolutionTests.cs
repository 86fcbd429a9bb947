using System.Text;
using System.Text.RegularExpressions;
using Seeding.Generators.Model;
using Seeding.Generators.Parsing;

namespace Seeding.Generators.Tests;

/// <summary>
/// The generator resolves plain scalars by the YAML 1.2 core schema (spec 10.3.2) with hand-written matchers (no
/// regex in the compiler's hot path). These tests hold them to the schema's own regular expressions, as an oracle,
/// over every short string of the characters that matter and over hand-picked edge cases.
/// </summary>
public sealed class ScalarResolutionTests
{
    // The core schema's patterns, as the spec writes them: the oracle only, never used by the generator.
    private static readonly Regex Decimal = new(@"^[-+]?[0-9]+$");
    private static readonly Regex Octal = new(@"^0o[0-7]+$");
    private static readonly Regex Hex = new(@"^0x[0-9a-fA-F]+$");
    private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    private static readonly Regex Infinity = new(@"^[-+]?\.(inf|Inf|INF)$");
    private static readonly Regex NotANumber = new(@"^\.(nan|NaN|NAN)$");

    public static TheoryData<string> EdgeCases => new()
    {
        "0", "-0", "+0", "007", "1e5", "1E+5", "1e-5", "1e", "e5", ".5", "5.", "-.5", "+5.e3", ".e3", ".", "+", "-", "+-1",
        "0x1F", "0xff", "0x", "0xg", "0o17", "0o8", "0o", "00o7", "1_000", "1,000", "12\n", "1.5\n", ".inf\n",
        ".inf", "-.Inf", "+.INF", ".iNf", "..inf", ".nan", ".NaN", ".NAN", "-.nan", ".Nan", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "0xFFFFFFFFFFFFFFFF", "0x7FFFFFFFFFFFFFFF", "1e400", "-1e400",
        "true", "False", "TRUE", "tRue", "null", "~", "Null", "NULL", "nULL", "Item 3", "１２", "١٢", " 1", "1 ",
    };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Edge_cases_resolve_as_the_core_schema_says(string text) => AssertAsOracle(text);

    [Fact]
    public void Every_short_string_of_number_characters_resolves_as_the_core_schema_says()
    {
        const string Alphabet = "0179.eE+-oxaFnNiIf";
        var checkedCount = 0;
        foreach (var text in Strings(Alphabet, 4))
        {
            AssertAsOracle(text);
            checkedCount++;
        }

        Assert.True(checkedCount > 100_000);
    }

    private static IEnumerable<string> Strings(string alphabet, int maxLength)
    {
        var current = new List<string> { string.Empty };
        for (var length = 1; length <= maxLength; length++)
        {
            var next = new List<string>(current.Count * alphabet.Length);
            foreach (var prefix in current)
            {
                foreach (var c in alphabet)
                {
                    next.Add(prefix + c);
                }
            }

            foreach (var text in next)
            {
                yield return text;
            }

            current = next;
        }
    }

    private static void AssertAsOracle(string text)
    {
        var actual = ScalarResolver.ResolvePlain(text, out var outOfRange);
        var expected = Oracle(text);
        Assert.True(expected.Kind == (actual is null ? null : actual.Kind), $"'{Escape(text)}': expected {expected.Kind?.ToString() ?? "out of range"}, got {actual?.Kind.ToString() ?? "out of range"}");
        Assert.Equal(actual is null, outOfRange);
        if (expected.Kind is ValueKindModel.Double && expected.Value is { } value)
        {
            Assert.Equal(ValueModel.FormatDouble(value), actual!.Text);
        }
    }

    /// <summary>The kind the core schema gives (null: a number that does not fit), and a float's value.</summary>
    private static (ValueKindModel? Kind, double? Value) Oracle(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return (ValueKindModel.Null, null);
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return (ValueKindModel.Boolean, null);
        }

        if (Decimal.IsMatch(text) || Octal.IsMatch(text) || Hex.IsMatch(text))
        {
            return (Fits(text) ? ValueKindModel.Integer : null, null);
        }

        if (Infinity.IsMatch(text))
        {
            return (ValueKindModel.Double, text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity);
        }

        if (NotANumber.IsMatch(text))
        {
            return (ValueKindModel.Double, double.NaN);
        }

        if (Float.IsMatch(text))
        {
            var value = double.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            return (double.IsInfinity(value) ? null : ValueKindModel.Double, value);
        }

        return (ValueKindModel.String, null);
    }

    private static bool Fits(string text)
    {
        var body = text.TrimEnd('\n');
        if (body.StartsWith("0o", StringComparison.Ordinal) || body.StartsWith("0x", StringComparison.Ordinal))
        {
            var value = System.Numerics.BigInteger.Zero;
            foreach (var c in body.Substring(2))
            {
                value = (value * (body[1] == 'o' ? 8 : 16)) + Convert.ToInt32(c.ToString(), 16);
            }

            return value <= long.MaxValue;
        }

        // A trailing line break matched the patterns but is not part of a number long.TryParse reads.
        return text == body && long.TryParse(body, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _);
    }

    private static string Escape(string text) => new StringBuilder(text).Replace("\n", "\\n").ToString();
}
