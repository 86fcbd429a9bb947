using System.Globalization;

namespace Seeding.Cli.Output;

/// <summary>A plain text table with aligned columns: readable in a terminal, in CI logs and when redirected.</summary>
internal sealed class TextTable(params (string Header, bool AlignRight)[] columns)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

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
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteRow(writer, columns.Select(c => c.Header).ToArray(), widths);
        WriteRow(writer, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in _rows)
        {
            WriteRow(writer, row, widths);
        }
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
