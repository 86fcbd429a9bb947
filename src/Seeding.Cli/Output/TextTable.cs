using System.Globalization;

namespace Seeding.Cli.Output;

/// <summary>
/// A plain text table with aligned columns: readable in a terminal, in CI logs and when redirected. Every cell is shown
/// through <see cref="Printable"/>, so an id with a line break or a bidirectional override cannot break or disguise a
/// row; a column given a <see cref="MaxWidth"/> shortens longer values (the full value is in the plan and the JSON).
/// </summary>
internal sealed class TextTable(params (string Header, bool AlignRight)[] columns)
{
    private readonly List<string[]> _rows = [];
    private readonly Dictionary<int, int> _maxWidths = [];

    public int Count => _rows.Count;

    /// <summary>Shortens the values of column <paramref name="column"/> (0-based) to <paramref name="width"/> characters.</summary>
    public TextTable MaxWidth(int column, int width)
    {
        _maxWidths[column] = width;
        return this;
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"Expected {columns.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Write(TextWriter writer)
    {
        var shown = _rows.Select(r => new string[r.Length]).ToArray();
        for (var i = 0; i < columns.Length; i++)
        {
            var column = _rows.Select(r => r[i]).ToArray();
            var display = Display(column, _maxWidths.TryGetValue(i, out var max) ? max : int.MaxValue);
            for (var r = 0; r < _rows.Count; r++)
            {
                shown[r][i] = display[r];
            }
        }

        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, shown.Length == 0 ? 0 : shown.Max(r => r[i].Length))).ToArray();
        WriteRow(writer, columns.Select(c => c.Header).ToArray(), widths);
        WriteRow(writer, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in shown)
        {
            WriteRow(writer, row, widths);
        }
    }

    // Shortened values stay unambiguous: when two different values of a column would shorten alike, both show in full.
    private static string[] Display(string[] values, int maxWidth)
    {
        var shortened = values.Select(v => Printable.Shorten(v, maxWidth)).ToArray();
        var clashing = shortened.Select((text, i) => (text, value: values[i]))
            .GroupBy(p => p.text)
            .Where(g => g.Select(p => p.value).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        return shortened.Select((text, i) => clashing.Contains(text) ? Printable.Escape(values[i]) : text).ToArray();
    }

    private void WriteRow(TextWriter writer, string[] cells, int[] widths)
    {
        var parts = cells.Select((cell, i) => columns[i].AlignRight ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
        writer.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}

/// <summary>Formatting shared by the text outputs.</summary>
internal static class Format
{
    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds < 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Round(duration.TotalMilliseconds)} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0} s");

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Plural(long count, string singular, string plural) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural)}");
}
