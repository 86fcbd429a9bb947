using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Seeding.Values;

/// <summary>
/// Strict RFC 3339 timestamps with an offset (<c>2024-05-01T12:00:00Z</c>, <c>...+02:00</c>), written once: the
/// runtime's Timestamp parses with it and the generator compiles this file too (as a linked source,
/// see Seeding.Generators.csproj), so a timestamp that compiles is read the same way at run time.
/// </summary>
internal static class Rfc3339
{
    private static readonly Regex Format = new(
        @"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$",
        RegexOptions.CultureInvariant);

    private static readonly long UnixEpochTicks = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>Parses <paramref name="text"/> into microseconds since the Unix epoch (digits past the seventh are dropped; the instant is floored to a microsecond).</summary>
    public static bool TryParseUnixMicroseconds(string text, out long micros)
    {
        micros = 0;
        var match = Format.Match(text);
        if (!match.Success)
        {
            return false;
        }

        int Part(int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        try
        {
            var offset = TimeSpan.Zero;
            if (match.Groups[9].Success)
            {
                offset = new TimeSpan(Part(10), Part(11), 0);
                offset = match.Groups[9].Value == "-" ? -offset : offset;
            }

            var fraction = match.Groups[7].Success ? match.Groups[7].Value.Substring(1) : string.Empty;
            var fractionTicks = fraction.Length == 0 ? 0 : long.Parse((fraction + "0000000").Substring(0, 7), CultureInfo.InvariantCulture);
            var local = new DateTime(Part(1), Part(2), Part(3), Part(4), Part(5), Part(6), DateTimeKind.Unspecified).AddTicks(fractionTicks);
            var instant = new DateTimeOffset(local, offset);
            // Floor, not truncation toward zero: an instant before 1970 must not move later in time.
            var ticks = instant.UtcTicks - UnixEpochTicks;
            micros = (ticks / 10) - (ticks % 10 < 0 ? 1 : 0);
            return true;
        }
        catch (ArgumentException)
        {
            // Out-of-range fields (month 13, hour 24, a year pushed outside 1..9999 by its offset).
            return false;
        }
    }
}
