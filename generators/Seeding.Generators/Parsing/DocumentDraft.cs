using System.Collections.Generic;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>A document as read from YAML, before its record is known: fields in order, with positions.</summary>
internal sealed class DocumentDraft
{
    private readonly YamlNode? _node;
    private readonly SourceMap? _map;

    public DocumentDraft(string id, int line, LocationInfo location, YamlNode? node = null, SourceMap? map = null)
    {
        Id = id;
        Line = line;
        Location = location;
        _node = node;
        _map = map;
    }

    public string Id { get; }

    public int Line { get; }

    public LocationInfo Location { get; }

    public List<(string Name, ValueModel Value, LocationInfo Location)> Fields { get; } = new();

    /// <summary>
    /// Where the key of field <paramref name="name"/> is written in this document (of a bound step), or null when the
    /// document does not write it (a field from <c>defaults:</c>: cite its value). Found on demand: only bound steps ask, and a large
    /// file's documents would otherwise each carry a table of locations nobody reads.
    /// </summary>
    public LocationInfo? KeyLocation(string name)
    {
        foreach (var pair in _node?.Pairs ?? new List<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (pair.Key.Kind == YamlNodeKind.Scalar && pair.Key.Value == name)
            {
                return _map!.At(pair.Key);
            }
        }

        return null;
    }
}
