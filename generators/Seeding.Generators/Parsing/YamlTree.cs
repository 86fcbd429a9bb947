using System;
using System.Collections.Generic;
using System.IO;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Seeding.Generators.Parsing;

internal enum YamlNodeKind
{
    Scalar,
    Mapping,
    Sequence,
}

/// <summary>
/// A YAML node with its position. Built from YamlDotNet's event parser rather than its representation
/// model, so that duplicate keys, undefined aliases and nesting depth are reported by us instead of
/// surfacing as exceptions. An alias is the very node its anchor names (shared, never copied), so
/// "billion laughs" input stays small here; expansion is counted where values are built.
/// </summary>
internal sealed class YamlNode
{
    // Shared by every scalar, never added to: a file holds millions of scalars and only their parents need lists.
    private static readonly List<YamlNode> NoItems = new(0);
    private static readonly List<KeyValuePair<YamlNode, YamlNode>> NoPairs = new(0);

    public YamlNode(YamlNodeKind kind, string? tag, TextPosition start, TextPosition end)
    {
        Kind = kind;
        Tag = tag;
        Start = start;
        End = end;
        Items = kind == YamlNodeKind.Sequence ? new List<YamlNode>() : NoItems;
        Pairs = kind == YamlNodeKind.Mapping ? new List<KeyValuePair<YamlNode, YamlNode>>() : NoPairs;
    }

    public YamlNodeKind Kind { get; }

    /// <summary>The resolved tag (<c>tag:yaml.org,2002:str</c> for <c>!!str</c>), <c>!</c> for the non-specific tag, or null.</summary>
    public string? Tag { get; }

    public TextPosition Start { get; }

    public TextPosition End { get; set; }

    /// <summary>Scalar text.</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>True for plain (unquoted, non-block) scalars, the only ones the core schema resolves.</summary>
    public bool IsPlain { get; set; }

    /// <summary>A sequence's items (empty for other kinds).</summary>
    public List<YamlNode> Items { get; }

    /// <summary>A mapping's pairs in YAML order (empty for other kinds).</summary>
    public List<KeyValuePair<YamlNode, YamlNode>> Pairs { get; }

    /// <summary>True when an anchor names this node, so aliases can reach it again (and everything beneath it).</summary>
    public bool IsAnchored { get; set; }

    public bool IsNullScalar => Kind == YamlNodeKind.Scalar && Tag is null && IsPlain && ScalarResolver.IsNull(Value);

    public string Describe() => Kind switch
    {
        YamlNodeKind.Mapping => "a mapping",
        YamlNodeKind.Sequence => "a list",
        _ => IsNullScalar ? "null" : $"the scalar '{Shorten(Value)}'",
    };

    internal static string Shorten(string text) => Seeding.Documents.DocumentRules.Shorten(text);
}

/// <summary>A 0-based line and column and the character index in the file's text.</summary>
internal readonly record struct TextPosition(int Line, int Column, int Index);

/// <summary>Thrown inside a parse when a protective limit is hit; turned into SEED018 by the file parser.</summary>
internal sealed class YamlLimitException : Exception
{
    public YamlLimitException(string what, string limit, TextPosition position)
        : base(what)
    {
        What = what;
        Limit = limit;
        Position = position;
    }

    public string What { get; }

    public string Limit { get; }

    public TextPosition Position { get; }

    /// <summary>Nesting deeper than <see cref="YamlTreeReader.MaxDepth"/>.</summary>
    public static YamlLimitException TooDeep(TextPosition position) => new(
        $"This YAML nests more than {YamlTreeReader.MaxDepth} levels of maps and lists. Flatten the deep part (e.g. a map keyed by path) or keep it in separate documents",
        $"{YamlTreeReader.MaxDepth} levels of nesting",
        position);
}

/// <summary>A problem found in the YAML by this reader itself, already in Seeding's words.</summary>
internal sealed class SeedYamlException : Exception
{
    public SeedYamlException(TextPosition start, TextPosition end, string message)
        : base(message)
    {
        Start = start;
        End = end;
    }

    public TextPosition Start { get; }

    public TextPosition End { get; }
}

/// <summary>Reads the single YAML document of a seed file into <see cref="YamlNode"/>s.</summary>
internal sealed class YamlTreeReader
{
    /// <summary>Deepest nesting of mappings and lists accepted; far beyond any real seed file.</summary>
    public const int MaxDepth = 64;

    /// <summary>Mappings up to this many pairs are checked for duplicate keys by a scan, larger ones by a dictionary.</summary>
    private const int ScanLimit = 16;

    private readonly SourceMap _map;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private IScanner _scanner = null!;
    private IParser _parser = null!;

    private YamlTreeReader(SourceMap map, List<DiagnosticInfo> diagnostics)
    {
        _map = map;
        _diagnostics = diagnostics;
    }

    /// <summary>Returns the root node, or null when the file has no document or a syntax error (reported).</summary>
    public static YamlNode? Read(string content, SourceMap map, List<DiagnosticInfo> diagnostics) =>
        new YamlTreeReader(map, diagnostics).ReadRoot(content);

    private YamlNode? ReadRoot(string content)
    {
        var characters = YamlSyntaxErrors.CheckCharacters(content, _map);
        if (characters is not null)
        {
            _diagnostics.Add(characters);
            return null;
        }

        _scanner = new Scanner(new StringReader(content));
        _parser = new Parser(_scanner);
        try
        {
            Expect<StreamStart>();
            if (_parser.Current is StreamEnd)
            {
                return null;
            }

            Expect<DocumentStart>();
            var root = ReadNode(1);
            Expect<DocumentEnd>();
            if (_parser.Current is DocumentStart second)
            {
                _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.MultipleDocuments, _map.At(Position(second.Start), Position(second.End))));
            }

            return root;
        }
        catch (Exception ex) when (ex is not YamlLimitException and not OperationCanceledException)
        {
            // Ours, or anything YamlDotNet throws: it is about the input (YamlDotNet throws bare .NET exceptions for some).
            _diagnostics.Add(YamlSyntaxErrors.Describe(ex, _scanner, content, _map));
            return null;
        }
    }

    private YamlNode ReadNode(int depth)
    {
        var current = _parser.Current ?? throw new YamlException("Reached the end of the stream");
        if (depth > MaxDepth)
        {
            throw YamlLimitException.TooDeep(Position(current.Start));
        }

        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    // Anchors are registered when their node is complete, which also rules out recursive aliases.
                    throw new SeedYamlException(Position(alias.Start), Position(alias.End), $"the alias *{YamlNode.Shorten(alias.Value.Value)} refers to no anchor defined before it (a node cannot contain an alias to itself); define &{YamlNode.Shorten(alias.Value.Value)} earlier, or write the value");
                }

                return target;
            case Scalar scalar:
                _parser.MoveNext();
                var node = new YamlNode(YamlNodeKind.Scalar, TagOf(scalar), Position(scalar.Start), Position(scalar.End))
                {
                    Value = scalar.Value,
                    IsPlain = scalar.Style == ScalarStyle.Plain,
                };
                return Anchor(scalar, node);
            case SequenceStart sequenceStart:
                _parser.MoveNext();
                var sequence = new YamlNode(YamlNodeKind.Sequence, TagOf(sequenceStart), Position(sequenceStart.Start), Position(sequenceStart.End));
                while (_parser.Current is not SequenceEnd)
                {
                    sequence.Items.Add(ReadNode(depth + 1));
                }

                sequence.End = Position(_parser.Current.End);
                _parser.MoveNext();
                return Anchor(sequenceStart, sequence);
            case MappingStart mappingStart:
                _parser.MoveNext();
                var mapping = new YamlNode(YamlNodeKind.Mapping, TagOf(mappingStart), Position(mappingStart.Start), Position(mappingStart.End));
                Dictionary<string, YamlNode>? seen = null;
                while (_parser.Current is not MappingEnd)
                {
                    var key = ReadNode(depth + 1);
                    var value = ReadNode(depth + 1);
                    var first = key.Kind == YamlNodeKind.Scalar ? FirstKey(mapping, key.Value, ref seen) : null;
                    if (first is not null)
                    {
                        _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.DuplicateKey, _map.At(key.Start, key.End), key.Value, _map.At(first.Start, first.End).Describe()));
                        continue;
                    }

                    if (seen is not null && key.Kind == YamlNodeKind.Scalar)
                    {
                        seen[key.Value] = key;
                    }

                    mapping.Pairs.Add(new KeyValuePair<YamlNode, YamlNode>(key, value));
                }

                mapping.End = Position(_parser.Current.End);
                _parser.MoveNext();
                return Anchor(mappingStart, mapping);
            default:
                throw new SeedYamlException(Position(current.Start), Position(current.End), "YAML cannot read a value here; check the quotes, brackets and indentation here and on the line above");
        }
    }

    /// <summary>
    /// The scalar key already in <paramref name="mapping"/> with this text, or null. A document is a small mapping,
    /// scanned in place; a large one (the file's own keys rarely, a wide document) gets a dictionary once it grows
    /// past <see cref="ScanLimit"/> pairs, kept by the caller for that mapping and updated with each key added.
    /// </summary>
    private static YamlNode? FirstKey(YamlNode mapping, string key, ref Dictionary<string, YamlNode>? seen)
    {
        var pairs = mapping.Pairs;
        if (seen is null && pairs.Count > ScanLimit)
        {
            seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var pair in pairs)
            {
                if (pair.Key.Kind == YamlNodeKind.Scalar)
                {
                    seen[pair.Key.Value] = pair.Key;
                }
            }
        }

        if (seen is not null)
        {
            return seen.TryGetValue(key, out var found) ? found : null;
        }

        foreach (var pair in pairs)
        {
            if (pair.Key.Kind == YamlNodeKind.Scalar && string.Equals(pair.Key.Value, key, StringComparison.Ordinal))
            {
                return pair.Key;
            }
        }

        return null;
    }

    private YamlNode Anchor(NodeEvent nodeEvent, YamlNode node)
    {
        if (!nodeEvent.Anchor.IsEmpty)
        {
            _anchors[nodeEvent.Anchor.Value] = node;
            node.IsAnchored = true;
        }

        return node;
    }

    private static string? TagOf(NodeEvent nodeEvent) => nodeEvent.Tag.IsEmpty ? null : nodeEvent.Tag.Value;

    private void Expect<T>()
        where T : ParsingEvent
    {
        if (_parser.Current is null && !_parser.MoveNext())
        {
            throw new YamlException("Reached the end of the stream");
        }

        if (_parser.Current is not T)
        {
            var current = _parser.Current!;
            throw new SeedYamlException(Position(current.Start), Position(current.End), "YAML cannot read the file's structure here; check the quotes, brackets and indentation here and on the line above");
        }

        _parser.MoveNext();
    }

    private static TextPosition Position(Mark mark) => YamlSyntaxErrors.Position(mark);
}
