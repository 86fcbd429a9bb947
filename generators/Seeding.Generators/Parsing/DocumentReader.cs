using System.Collections.Generic;
using System.Linq;
using System.Text;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Documents;

namespace Seeding.Generators.Parsing;

/// <summary>
/// Reads the documents of a create or upsert step: fields in order with defaults merged, the id from the key
/// field (none in a match step, whose ids come from new_id), and Firestore's per-document limits.
/// </summary>
internal sealed class DocumentReader
{
    /// <summary>Firestore's limit on index entries per document.</summary>
    public const int MaxIndexEntries = 40_000;

    private readonly SourceMap _map;
    private readonly ValueConverter _converter;
    private readonly List<DiagnosticInfo> _diagnostics;

    public DocumentReader(SourceMap map, ValueConverter converter, List<DiagnosticInfo> diagnostics)
    {
        _map = map;
        _converter = converter;
        _diagnostics = diagnostics;
    }

    /// <summary>
    /// Reads one document; <paramref name="match"/> is null for steps that identify documents by id. A document of a
    /// <paramref name="bound"/> step (<c>type:</c>) keeps its node to cite its keys; others let the YAML tree go.
    /// </summary>
    public DocumentDraft? Read(YamlNode node, string collection, string key, List<(string Name, ValueModel Value, LocationInfo Location)> defaults, IReadOnlyList<string>? match, bool bound)
    {
        if (node.Kind != YamlNodeKind.Mapping)
        {
            Report(SeedingDiagnostics.UnexpectedNode, node, "A document", "a mapping of field names to values", node.Describe());
            return null;
        }

        var fields = new List<(string Name, ValueModel Value, LocationInfo Location)>();
        ReadFields(node, fields);
        foreach (var field in defaults)
        {
            if (IndexOf(fields, field.Name) < 0)
            {
                fields.Add(field);
            }
        }

        var location = _map.At(node.Start, node.Start);
        var id = match is null ? ReadId(fields, key, location) : CheckMatchFields(fields, match, location) ? string.Empty : null;
        if (id is null)
        {
            return null;
        }

        var document = bound ? new DocumentDraft(id, node.Start.Line + 1, location, node, _map) : new DocumentDraft(id, node.Start.Line + 1, location);
        document.Fields.AddRange(fields);
        CheckLimits(document, collection);
        return document;
    }

    /// <summary>
    /// Reads one document of <c>documents:</c> written as a mapping by id (<c>admin: { name: Admin }</c>): the key is the
    /// document id and is not a field, so a document whose body holds no id (most live data) is declared exactly.
    /// </summary>
    public DocumentDraft? ReadById(YamlNode idNode, YamlNode node, string collection, List<(string Name, ValueModel Value, LocationInfo Location)> defaults, bool bound)
    {
        if (idNode.Kind != YamlNodeKind.Scalar)
        {
            Report(SeedingDiagnostics.UnexpectedNode, idNode, "A document id", "a string", idNode.Describe());
            return null;
        }

        if (node.Kind != YamlNodeKind.Mapping)
        {
            Report(SeedingDiagnostics.UnexpectedNode, node, "A document", "a mapping of field names to values ({} for a document without fields)", node.Describe());
            return null;
        }

        var idProblem = DocumentRules.ValidateId(idNode.Value);
        if (idProblem is not null)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidDocumentId, _map.At(idNode), idProblem));
            return null;
        }

        var fields = new List<(string Name, ValueModel Value, LocationInfo Location)>();
        ReadFields(node, fields);
        foreach (var field in defaults)
        {
            if (IndexOf(fields, field.Name) < 0)
            {
                fields.Add(field);
            }
        }

        var location = _map.At(idNode.Start, idNode.Start);
        var document = bound ? new DocumentDraft(idNode.Value, idNode.Start.Line + 1, location, node, _map) : new DocumentDraft(idNode.Value, idNode.Start.Line + 1, location);
        document.Fields.AddRange(fields);
        CheckLimits(document, collection);
        return document;
    }

    public void ReadFields(YamlNode mapping, List<(string Name, ValueModel Value, LocationInfo Location)> fields)
    {
        foreach (var pair in mapping.Pairs)
        {
            var name = _converter.FieldName(pair.Key);
            if (name is not null)
            {
                fields.Add((name, _converter.Convert(pair.Value), _map.At(pair.Value)));
            }
        }
    }

    private string? ReadId(List<(string Name, ValueModel Value, LocationInfo Location)> fields, string key, LocationInfo location)
    {
        var at = IndexOf(fields, key);
        var idField = at < 0 ? default : fields[at];
        if (idField.Name is not null && idField.Value.Kind == ValueKindModel.Configured)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.ConfiguredValueNotAllowed, idField.Location, $"in the id field '{key}'",
                "ids are checked at compile time and recorded in plans. Write the id, or use 'match:' with 'new_id:' to find the document by a configured field."));
            return null;
        }

        if (idField.Name is null || idField.Value.Kind != ValueKindModel.String)
        {
            var problem = idField.Name is null
                ? $"is missing from this document. Add '{key}: <id>' (or set 'key:' to the field that holds the id, or use 'match:' with 'new_id:')."
                : $"must be a string; quote it, e.g. {key}: \"{(idField.Value.Kind == ValueKindModel.Integer ? idField.Value.Text : "...")}\".";
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.MissingDocumentId, idField.Name is null ? location : idField.Location, key, problem));
            return null;
        }

        var idProblem = DocumentRules.ValidateId(idField.Value.Text);
        if (idProblem is not null)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidDocumentId, idField.Location, idProblem));
            return null;
        }

        return idField.Value.Text;
    }

    /// <summary>A match step queries its match fields: each document needs a scalar (or configured) value for each.</summary>
    private bool CheckMatchFields(List<(string Name, ValueModel Value, LocationInfo Location)> fields, IReadOnlyList<string> match, LocationInfo location)
    {
        var ok = true;
        foreach (var name in match)
        {
            var field = fields.FirstOrDefault(f => f.Name == name);
            if (field.Name is null)
            {
                _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.MissingKey, location, "This document",
                    $"a value for match field '{name}' (the query that finds an existing document uses it)"));
                ok = false;
            }
            else if (field.Value.Kind is ValueKindModel.Null or ValueKindModel.ServerTime or ValueKindModel.Map or ValueKindModel.Array)
            {
                _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.UnexpectedNode, field.Location, $"Match field '{name}'",
                    "a scalar value or !env NAME (it is compared for equality)", field.Value.Kind switch
                    {
                        ValueKindModel.ServerTime => "!now",
                        ValueKindModel.Map => "a mapping",
                        ValueKindModel.Array => "a list",
                        _ => "null",
                    }));
                ok = false;
            }
        }

        return ok;
    }

    private void CheckLimits(DocumentDraft document, string collection)
    {
        var name = document.Id.Length == 0 ? $"at line {document.Line}" : $"'{DocumentRules.Shorten(document.Id)}'";
        var depth = document.Fields.Count == 0 ? 0 : document.Fields.Max(f => Depth(f.Value));
        if (depth > DocumentRules.MaxNestingDepth)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.FirestoreLimit, document.Location,
                $"Document {name} nests maps and lists {depth} levels deep", DocumentRules.MaxNestingDepth, "Flatten the data."));
        }

        var size = Encoding.UTF8.GetByteCount(collection + "/" + document.Id) + 16 + 32 + document.Fields.Sum(f => Encoding.UTF8.GetByteCount(f.Name) + 1 + Size(f.Value));
        if (size > DocumentRules.MaxDocumentBytes)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.FirestoreLimit, document.Location,
                $"Document {name} is about {size:N0} bytes", $"{DocumentRules.MaxDocumentBytes:N0} bytes per document", "Split it or store large content elsewhere."));
        }

        var entries = document.Fields.Sum(f => IndexEntries(f.Value));
        if (entries > MaxIndexEntries)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.FirestoreLimit, document.Location,
                $"Document {name} needs about {entries:N0} index entries (2 per field, map leaves included, plus 1 per array element)", $"{MaxIndexEntries:N0} per document",
                "Move large lists or maps to a subcollection, or exempt them from indexing and store them as one string or bytes value."));
        }
    }

    private static int Depth(ValueModel value) =>
        value.Kind is ValueKindModel.Map or ValueKindModel.Array ? 1 + (value.Items.Count == 0 ? 0 : value.Items.Max(Depth)) : 0;

    /// <summary>
    /// Firestore's automatic single-field indexes: an ascending and a descending entry per field (each leaf of a
    /// map counts as a field), and one array-contains entry per array element. An estimate, on the safe side.
    /// </summary>
    public static long IndexEntries(ValueModel value) => value.Kind switch
    {
        ValueKindModel.Map => value.Items.Sum(IndexEntries),
        ValueKindModel.Array => 2 + value.Items.Count,
        _ => 2,
    };

    /// <summary>Firestore's storage size rules: strings count UTF-8 bytes plus one, numbers and times eight, and so on.</summary>
    private static long Size(ValueModel value) => value.Kind switch
    {
        ValueKindModel.String or ValueKindModel.Reference => Encoding.UTF8.GetByteCount(value.Text) + 1,
        ValueKindModel.Integer or ValueKindModel.Double or ValueKindModel.Timestamp or ValueKindModel.ServerTime => 8,
        ValueKindModel.GeoPoint => 16,
        ValueKindModel.Bytes => value.Text.Length / 4 * 3,
        ValueKindModel.Array => value.Items.Sum(Size),
        ValueKindModel.Map => Enumerable.Range(0, value.Keys.Count).Sum(i => Encoding.UTF8.GetByteCount(value.Keys[i]) + 1 + Size(value.Items[i])),
        _ => 1,
    };

    /// <summary>The index of the field named <paramref name="name"/>, or -1.</summary>
    public static int IndexOf(List<(string Name, ValueModel Value, LocationInfo Location)> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, YamlNode node, params object[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, _map.At(node), arguments));
}
