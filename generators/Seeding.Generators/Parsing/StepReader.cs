using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>One step as read from YAML: verb, collection, key field and documents with defaults merged.</summary>
internal sealed class StepDraft
{
    public StepDraft(string verb, string collection, int line)
    {
        Verb = verb;
        Collection = collection;
        Line = line;
    }

    public string Verb { get; }

    public string Collection { get; }

    public int Line { get; }

    public List<DocumentDraft> Documents { get; } = new();
}

/// <summary>
/// Reads the keys of a step mapping (the file itself, or one item of <c>steps:</c>). Keys of later versions of
/// the format are recognised and reported as not supported yet, never as unknown.
/// </summary>
internal sealed class StepReader
{
    /// <summary>Keys the format reserves for later versions, with what to do meanwhile.</summary>
    public static readonly IReadOnlyDictionary<string, string> ReservedKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["match"] = "Documents are matched by id for now; give each document an id field.",
        ["new_id"] = "Give each document its id explicitly for now.",
        ["when"] = "Conditions come later; split conditional data into a C# migration meanwhile.",
        ["type"] = "Binding to an existing C# type comes later; the generator infers a record meanwhile.",
        ["environments"] = "Every seed runs in every environment for now.",
        ["backfill"] = "Backfills come later; write a C# migration meanwhile.",
        ["where"] = "Backfills come later; write a C# migration meanwhile.",
        ["set"] = "Backfills come later; write a C# migration meanwhile.",
    };

    public static readonly string[] StepKeys = { "create", "upsert", "key", "defaults", "documents" };

    private readonly SourceMap _map;
    private readonly ValueConverter _converter;
    private readonly List<DiagnosticInfo> _diagnostics;

    public StepReader(SourceMap map, ValueConverter converter, List<DiagnosticInfo> diagnostics)
    {
        _map = map;
        _converter = converter;
        _diagnostics = diagnostics;
    }

    /// <summary>Reads a step's keys (already checked for unknown keys by the caller); null when it cannot be used.</summary>
    public StepDraft? Read(YamlNode mapping, IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, string what)
    {
        keys.TryGetValue("create", out var create);
        keys.TryGetValue("upsert", out var upsert);
        if (create.Key is not null && upsert.Key is not null)
        {
            Report(SeedingDiagnostics.ConflictingKeys, upsert.Key, $"{what} has both 'create:' and 'upsert:'. A step has one verb; use 'steps:' for several.");
            return null;
        }

        var verbNode = create.Key is not null ? create : upsert;
        if (verbNode.Key is null)
        {
            // A reserved verb such as backfill: is already reported as not supported yet.
            if (!mapping.Pairs.Any(p => p.Key.Kind == YamlNodeKind.Scalar && ReservedKeys.ContainsKey(p.Key.Value)))
            {
                Report(SeedingDiagnostics.MissingKey, mapping, what, "a verb: 'create: <collection>' (create missing documents) or 'upsert: <collection>' (merge fields)");
            }

            return null;
        }

        var collection = ReadCollection(verbNode.Value);
        var key = "id";
        if (keys.TryGetValue("key", out var keyEntry))
        {
            key = ReadKeyField(keyEntry.Value) ?? key;
        }

        var defaults = new List<(string Name, ValueModel Value, LocationInfo Location)>();
        if (keys.TryGetValue("defaults", out var defaultsEntry))
        {
            if (defaultsEntry.Value.Kind == YamlNodeKind.Mapping)
            {
                ReadFields(defaultsEntry.Value, defaults);
            }
            else if (!defaultsEntry.Value.IsNullScalar)
            {
                Report(SeedingDiagnostics.UnexpectedNode, defaultsEntry.Value, "'defaults:'", "a mapping of field names to values", defaultsEntry.Value.Describe());
            }
        }

        if (!keys.TryGetValue("documents", out var documents))
        {
            Report(SeedingDiagnostics.MissingKey, mapping, what, "'documents:', the list of documents to write");
            return null;
        }

        if (documents.Value.Kind != YamlNodeKind.Sequence)
        {
            Report(SeedingDiagnostics.UnexpectedNode, documents.Value, "'documents:'", "a list of mappings (one per document)", documents.Value.Describe());
            return null;
        }

        if (collection is null)
        {
            return null;
        }

        var step = new StepDraft(create.Key is not null ? "create" : "upsert", collection, verbNode.Key.Start.Line + 1);
        foreach (var item in documents.Value.Items)
        {
            var document = ReadDocument(item, collection, key, defaults);
            if (document is not null)
            {
                step.Documents.Add(document);
            }
        }

        return step;
    }

    private string? ReadCollection(YamlNode node)
    {
        var text = ScalarText(node, "The collection");
        if (text is null)
        {
            return null;
        }

        var problem = FirestoreRules.ValidateCollectionPath(text);
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidCollectionPath, node, FirestoreRules.Shorten(text), problem);
            return null;
        }

        return text;
    }

    private string? ReadKeyField(YamlNode node)
    {
        var text = ScalarText(node, "'key:'");
        var problem = text is null ? null : FirestoreRules.ValidateFieldName(text);
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidFieldName, node, problem);
            return null;
        }

        return text;
    }

    private DocumentDraft? ReadDocument(YamlNode node, string collection, string key, List<(string Name, ValueModel Value, LocationInfo Location)> defaults)
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
            if (!fields.Any(f => f.Name == field.Name))
            {
                fields.Add(field);
            }
        }

        var idField = fields.FirstOrDefault(f => f.Name == key);
        var location = _map.At(node.Start, node.Start);
        if (idField.Name is null || idField.Value.Kind != ValueKindModel.String)
        {
            var message = idField.Name is null
                ? $"This document has no '{key}' field, which holds the document id. Add '{key}: <id>' (or set 'key:' to the field that holds the id)."
                : $"The id field '{key}' must be a string; quote it, e.g. {key}: \"{(idField.Value.Kind == ValueKindModel.Integer ? idField.Value.Text : "...")}\".";
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.MissingDocumentId, idField.Name is null ? location : idField.Location, message));
            return null;
        }

        var idProblem = FirestoreRules.ValidateId(idField.Value.Text);
        if (idProblem is not null)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.InvalidDocumentId, idField.Location, idProblem));
            return null;
        }

        var document = new DocumentDraft(idField.Value.Text, node.Start.Line + 1, location);
        document.Fields.AddRange(fields);
        CheckLimits(document, collection);
        return document;
    }

    private void ReadFields(YamlNode mapping, List<(string Name, ValueModel Value, LocationInfo Location)> fields)
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

    private void CheckLimits(DocumentDraft document, string collection)
    {
        var depth = document.Fields.Count == 0 ? 0 : document.Fields.Max(f => Depth(f.Value));
        if (depth > FirestoreRules.MaxNestingDepth)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.FirestoreLimit, document.Location,
                $"Document '{FirestoreRules.Shorten(document.Id)}' nests maps and lists {depth} levels deep; Firestore allows {FirestoreRules.MaxNestingDepth}. Flatten the data."));
        }

        var size = Encoding.UTF8.GetByteCount(collection + "/" + document.Id) + 16 + 32 + document.Fields.Sum(f => Encoding.UTF8.GetByteCount(f.Name) + 1 + Size(f.Value));
        if (size > FirestoreRules.MaxDocumentBytes)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.FirestoreLimit, document.Location,
                $"Document '{FirestoreRules.Shorten(document.Id)}' is about {size:N0} bytes; Firestore allows {FirestoreRules.MaxDocumentBytes:N0} bytes per document. Split it or store large content elsewhere."));
        }
    }

    private static int Depth(ValueModel value) =>
        value.Kind is ValueKindModel.Map or ValueKindModel.Array ? 1 + (value.Items.Count == 0 ? 0 : value.Items.Max(Depth)) : 0;

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

    private string? ScalarText(YamlNode node, string what)
    {
        if (node.Kind != YamlNodeKind.Scalar || node.IsNullScalar)
        {
            Report(SeedingDiagnostics.UnexpectedNode, node, what, "a name", node.Describe());
            return null;
        }

        return node.Value;
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, YamlNode node, params object[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, _map.At(node), arguments));
}
