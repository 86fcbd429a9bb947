using System;
using Microsoft.CodeAnalysis.Text;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>
/// Turns YAML positions into <see cref="LocationInfo"/>s: the line/column come from the YAML parser, the
/// character span from the text's own line starts, so both agree with what the IDE shows.
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
        var startOffset = Offset(start);
        var endOffset = Math.Max(startOffset, Offset(end));
        if (end.Line < start.Line || (end.Line == start.Line && end.Column < start.Column))
        {
            end = start;
        }

        return new LocationInfo(FilePath, startOffset, endOffset - startOffset, start.Line, start.Column, end.Line, end.Column);
    }

    public LocationInfo At(YamlNode node) => At(node.Start, node.End);

    private int Offset(TextPosition position)
    {
        var lines = _text.Lines;
        if (lines.Count == 0)
        {
            return 0;
        }

        var line = lines[Math.Min(Math.Max(position.Line, 0), lines.Count - 1)];
        return Math.Min(line.Start + Math.Max(position.Column, 0), line.EndIncludingLineBreak);
    }
}
