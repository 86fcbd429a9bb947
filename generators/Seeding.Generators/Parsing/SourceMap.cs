using System;
using Microsoft.CodeAnalysis.Text;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>
/// Turns YAML positions into <see cref="LocationInfo"/>s. The parser's line/column are mapped onto the text's own
/// lines and clamped into them, and the line/column reported are read back from that character offset, so a
/// location is always inside the file and agrees with what the IDE shows (YamlDotNet can count a line past the
/// end of the text, or a column past the end of a line, on malformed input).
/// </summary>
internal sealed class SourceMap
{
    private readonly SourceText _text;

    public SourceMap(string filePath, string content)
    {
        FilePath = filePath;
        _text = SourceText.From(content);
    }

    public string FilePath { get; }

    public LocationInfo At(TextPosition start, TextPosition end)
    {
        var startOffset = OffsetOf(start);
        var endOffset = Math.Max(startOffset, OffsetOf(end));
        var from = _text.Lines.GetLinePosition(startOffset);
        var to = _text.Lines.GetLinePosition(endOffset);
        return new LocationInfo(FilePath, startOffset, endOffset - startOffset, from.Line, from.Character, to.Line, to.Character);
    }

    public LocationInfo At(YamlNode node) => At(node.Start, node.End);

    /// <summary>The character offset of a parser position, clamped to the line it names (and that line to the text).</summary>
    public int OffsetOf(TextPosition position)
    {
        var lines = _text.Lines;
        if (lines.Count == 0)
        {
            return 0;
        }

        var line = lines[Math.Min(Math.Max(position.Line, 0), lines.Count - 1)];
        return Math.Min(line.Start + Math.Max(position.Column, 0), line.End);
    }

    /// <summary>The position of a character offset (clamped to the text).</summary>
    public TextPosition PositionAt(int offset)
    {
        offset = Math.Min(Math.Max(offset, 0), _text.Length);
        var position = _text.Lines.GetLinePosition(offset);
        return new TextPosition(position.Line, position.Character, offset);
    }

    /// <summary>The text a location covers.</summary>
    public string Text(LocationInfo location) => _text.ToString(new TextSpan(location.Start, location.Length));
}
