using System.Text;

namespace Seeding.Generators.Emit;

/// <summary>A tiny indenting writer: four spaces per level and "\n" newlines whatever the OS.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4).Append(text);
        }

        _builder.Append('\n');
        return this;
    }

    /// <summary>Writes an optional header line, then "{", and indents what follows.</summary>
    public SourceWriter Open(string? header = null)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Unindents and writes the closing line ("}" or e.g. "});").</summary>
    public SourceWriter Close(string text = "}")
    {
        _indent--;
        return Line(text);
    }

    /// <summary>Indents continuation lines, such as arguments of a call spread over lines.</summary>
    public SourceWriter Indent()
    {
        _indent++;
        return this;
    }

    public SourceWriter Dedent()
    {
        _indent--;
        return this;
    }

    public override string ToString() => _builder.ToString();
}
