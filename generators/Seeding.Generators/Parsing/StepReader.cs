using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Generators.Descriptors;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;

namespace Seeding.Generators.Parsing;

/// <summary>
/// One step as read from YAML: verb, collection, documents with defaults merged (create, upsert), match fields
/// and new_id rule (create with match), where and set (backfill), and its options (when, environments, type).
/// </summary>
internal sealed class StepDraft
{
    public StepDraft(string verb, string collection, int line, StepOptions options)
    {
        Verb = verb;
        Collection = collection;
        Line = line;
        Options = options;
    }

    public string Verb { get; }

    public string Collection { get; }

    public int Line { get; }

    public StepOptions Options { get; }

    public List<DocumentDraft> Documents { get; } = new();

    public List<string> MatchFields { get; } = new();

    public string? NewId { get; set; }

    public List<(NamedValue Field, LocationInfo Location)> Where { get; } = new();

    public List<(NamedValue Field, LocationInfo Location)> Set { get; } = new();

    public bool IsMatch => MatchFields.Count > 0;

    /// <summary>A resource step's declaration (topic, subscription, index, field override); null for a document step.</summary>
    public ResourceModel? Resource { get; set; }

    /// <summary>Where a resource step names its resource (the verb's value).</summary>
    public LocationInfo? ResourceLocation { get; set; }

    /// <summary>The topics a subscription names ("Topic\nid" or "Dead-letter topic\nid") with where.</summary>
    public List<NamedLocation> TopicReferences { get; } = new();
}

/// <summary>
/// Reads the keys of a step mapping (the file itself, or one item of <c>steps:</c>): the verb and what goes with
/// it. Options (when, environments, type) are read by <see cref="StepOptionsReader"/> and passed in.
/// </summary>
internal sealed class StepReader
{
    /// <summary>Keys the format reserves for later versions, with what to do meanwhile (none at present).</summary>
    public static readonly IReadOnlyDictionary<string, string> ReservedKeys = new Dictionary<string, string>(StringComparer.Ordinal);

    public static readonly string[] StepKeys = new[] { "create", "upsert", "backfill", "key", "defaults", "documents", "match", "new_id", "where", "set" }
        .Concat(ResourceKinds.All)
        .Concat(ResourceStepReader.SettingKeys)
        .ToArray();

    private static readonly string[] Verbs = { "create", "upsert", "backfill" };
    private static readonly string[] DocumentKeys = { "key", "defaults", "documents", "match", "new_id", "type" };

    private readonly SourceMap _map;
    private readonly ValueConverter _converter;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly DocumentReader _documents;
    private readonly ResourceStepReader _resources;

    public StepReader(SourceMap map, ValueConverter converter, List<DiagnosticInfo> diagnostics)
    {
        _map = map;
        _converter = converter;
        _diagnostics = diagnostics;
        _documents = new DocumentReader(map, converter, diagnostics);
        _resources = new ResourceStepReader(map, diagnostics);
    }

    /// <summary>Reads a step's keys (already checked for unknown keys by the caller); null when it cannot be used.</summary>
    public StepDraft? Read(YamlNode mapping, IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, string what, StepOptions options)
    {
        // 'topic:' is the verb of a topic step, and a setting of a subscription step.
        var verbs = Verbs.Concat(ResourceKinds.All)
            .Where(v => keys.ContainsKey(v) && !(v == ResourceKinds.Topic && keys.ContainsKey(ResourceKinds.Subscription)))
            .Select(v => (Name: v, Entry: keys[v]))
            .OrderBy(v => v.Entry.Key.Start.Index)
            .ToList();
        if (verbs.Count > 1)
        {
            Report(SeedingDiagnostics.ConflictingKeys, verbs[1].Entry.Key, verbs[1].Name, $"'{verbs[0].Name}:' in {what}", "a step has one verb; use 'steps:' for several.");
            return null;
        }

        if (verbs.Count == 0)
        {
            Report(SeedingDiagnostics.MissingKey, mapping, what, "a verb: 'create: <collection>' (create missing documents), 'upsert: <collection>' (merge fields), 'backfill: <collection>' (set fields where conditions hold), or a resource: 'topic:', 'subscription:', 'index:', 'field_override:'");
            return null;
        }

        var (verb, verbEntry) = verbs[0];
        if (Array.IndexOf(ResourceKinds.All, verb) >= 0)
        {
            return _resources.Read(keys, mapping, what, options, verb, verbEntry);
        }

        foreach (var name in ResourceStepReader.SettingKeys.Where(keys.ContainsKey))
        {
            Report(SeedingDiagnostics.ConflictingKeys, keys[name].Key, name, $"'{verb}:'", $"it belongs to {ResourceStepReader.KindsWith(name)}; a {verb} step writes documents.");
        }

        var collection = ReadCollection(verbEntry.Value);
        if (verb == "backfill")
        {
            return ReadBackfill(mapping, keys, what, options, collection, verbEntry.Key.Start.Line + 1);
        }

        foreach (var name in new[] { "where", "set" }.Where(keys.ContainsKey))
        {
            Report(SeedingDiagnostics.ConflictingKeys, keys[name].Key, name, $"'{verb}:'", $"it belongs to 'backfill:'; a {verb} step writes its 'documents:'.");
        }

        var key = "id";
        if (keys.TryGetValue("key", out var keyEntry))
        {
            key = ReadFieldName(keyEntry.Value, "'key:'") ?? key;
        }

        var match = ReadMatch(keys, verb);
        var defaults = new List<(string Name, ValueModel Value, LocationInfo Location)>();
        if (keys.TryGetValue("defaults", out var defaultsEntry))
        {
            if (defaultsEntry.Value.Kind == YamlNodeKind.Mapping)
            {
                _documents.ReadFields(defaultsEntry.Value, defaults);
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

        // A mapping from id to fields names each document by its key, and the id is not stored in its body.
        var byId = documents.Value.Kind == YamlNodeKind.Mapping;
        if (documents.Value.Kind != YamlNodeKind.Sequence && !byId)
        {
            Report(SeedingDiagnostics.UnexpectedNode, documents.Value, "'documents:'", "a list of mappings (one per document), or a mapping from document id to fields", documents.Value.Describe());
            return null;
        }

        if (byId && (match.Fields.Count > 0 || keys.ContainsKey("key")))
        {
            var conflicting = keys.ContainsKey("key") ? "key" : "match";
            Report(SeedingDiagnostics.ConflictingKeys, keys[conflicting].Key, conflicting, "'documents:' as a mapping by id", "write the documents as a list, or leave out '" + conflicting + ":' (the mapping's keys are the ids).");
            return null;
        }

        if (collection is null || match.Failed)
        {
            return null;
        }

        var step = new StepDraft(verb, collection, verbEntry.Key.Start.Line + 1, options) { NewId = match.NewId };
        step.MatchFields.AddRange(match.Fields);
        foreach (var pair in byId ? documents.Value.Pairs : new List<KeyValuePair<YamlNode, YamlNode>>())
        {
            var document = _documents.ReadById(pair.Key, pair.Value, collection, defaults, bound: RecordBuilder.IsBound(step));
            if (document is not null)
            {
                step.Documents.Add(document);
            }
        }

        foreach (var item in byId ? new List<YamlNode>() : documents.Value.Items)
        {
            var document = _documents.Read(item, collection, key, defaults, step.IsMatch ? step.MatchFields : null, bound: RecordBuilder.IsBound(step));
            if (document is not null)
            {
                step.Documents.Add(document);
            }
        }

        return step;
    }

    private (List<string> Fields, string? NewId, bool Failed) ReadMatch(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, string verb)
    {
        var fields = new List<string>();
        keys.TryGetValue("match", out var match);
        keys.TryGetValue("new_id", out var newId);
        if (match.Key is null && newId.Key is null)
        {
            return (fields, null, false);
        }

        if (verb != "create")
        {
            Report(SeedingDiagnostics.ConflictingKeys, (match.Key ?? newId.Key)!, match.Key is null ? "new_id" : "match", "'upsert:'", "it works with 'create:' only: an upsert writes documents by id.");
            return (fields, null, true);
        }

        if (match.Key is null)
        {
            Report(SeedingDiagnostics.MissingKey, newId.Key!, "'new_id:'", "'match: [fields]', the fields whose values find an existing document");
            return (fields, null, true);
        }

        if (keys.TryGetValue("key", out var keyEntry))
        {
            Report(SeedingDiagnostics.ConflictingKeys, keyEntry.Key, "key", "'match:'", "a match step finds documents by its match fields and names new ones with 'new_id:'.");
        }

        var items = match.Value.Kind == YamlNodeKind.Sequence ? match.Value.Items : new List<YamlNode> { match.Value };
        foreach (var item in items)
        {
            var name = ReadFieldName(item, "A match field");
            if (name is not null && !fields.Contains(name))
            {
                fields.Add(name);
            }
        }

        if (fields.Count == 0)
        {
            Report(SeedingDiagnostics.UnexpectedNode, match.Value, "'match:'", "a list of one or more field names, e.g. [email]", match.Value.Describe());
            return (fields, null, true);
        }

        if (newId.Key is null)
        {
            Report(SeedingDiagnostics.MissingKey, match.Key, "'match:'", "'new_id:', the id rule for documents the match does not find, e.g. new_id: user-{hash:8}");
            return (fields, null, true);
        }

        var rule = ReadNewId(newId.Value);
        return (fields, rule, rule is null);
    }

    /// <summary>The runtime's own NewIdRule check (a linked source): placeholders {hex:N} or {hash:N} with 4..64 digits, a valid id.</summary>
    private string? ReadNewId(YamlNode node)
    {
        if (node.Kind != YamlNodeKind.Scalar || node.Tag is not null || node.IsNullScalar)
        {
            Report(SeedingDiagnostics.UnexpectedNode, node, "'new_id:'", "an id pattern such as user-{hex:8} or user-{hash:8}", node.Describe());
            return null;
        }

        var pattern = node.Value;
        var problem = NewIdRule.FindProblem(pattern, out _);
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidNewId, node, DocumentRules.Shorten(pattern), problem);
            return null;
        }

        return pattern;
    }

    private StepDraft? ReadBackfill(YamlNode mapping, IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, string what, StepOptions options, string? collection, int line)
    {
        foreach (var name in DocumentKeys.Where(keys.ContainsKey))
        {
            Report(SeedingDiagnostics.ConflictingKeys, keys[name].Key, name, "'backfill:'", "a backfill sets fields on the documents 'where:' selects.");
        }

        if (options.Type is not null)
        {
            _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.ConflictingKeys, options.Type.Location, "type", "'backfill:'",
                "'type:' binds the documents of a create or upsert step; a backfill writes no documents of its own. Give 'type:' on the steps that create or upsert."));
            return null;
        }

        var step = collection is null ? null : new StepDraft("backfill", collection, line, options);
        var where = ReadFieldMap(mapping, keys, what, "where", "'where:', the conditions documents must meet, e.g. where: { created_at: null }", step?.Where, isCondition: true);
        var set = ReadFieldMap(mapping, keys, what, "set", "'set:', the fields to write, e.g. set: { created_at: !now }", step?.Set, isCondition: false);
        if (step is null || !where || !set || DocumentKeys.Any(keys.ContainsKey))
        {
            return null;
        }

        var resolved = step.Where.Any(condition => step.Set.Any(field => field.Field.Name == condition.Field.Name && Changes(condition.Field.Value, field.Field.Value)));
        if (!resolved)
        {
            Report(SeedingDiagnostics.NonConvergingBackfill, keys["set"].Key, string.Join(", ", step.Where.Select(w => w.Field.Name)));
        }

        return step;
    }

    /// <summary>True when writing <paramref name="set"/> makes a document stop meeting <paramref name="condition"/>.</summary>
    private static bool Changes(ValueModel condition, ValueModel set) =>
        condition.Kind == ValueKindModel.Null ? set.Kind != ValueKindModel.Null : !condition.Equals(set);

    private bool ReadFieldMap(YamlNode mapping, IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, string what, string key, string need, List<(NamedValue Field, LocationInfo Location)>? into, bool isCondition)
    {
        if (!keys.TryGetValue(key, out var entry))
        {
            Report(SeedingDiagnostics.MissingKey, mapping, what, need);
            return false;
        }

        if (entry.Value.Kind != YamlNodeKind.Mapping || entry.Value.Pairs.Count == 0)
        {
            Report(SeedingDiagnostics.UnexpectedNode, entry.Value, $"'{key}:'", "a mapping of one or more field names to values", entry.Value.Describe());
            return false;
        }

        var ok = true;
        var fields = new List<(string Name, ValueModel Value, LocationInfo Location)>();
        _documents.ReadFields(entry.Value, fields);
        foreach (var (name, value, location) in fields)
        {
            if (value.Kind == ValueKindModel.Configured)
            {
                _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.ConfiguredValueNotAllowed, location, $"in '{key}:'",
                    $"a backfill's conditions and values are fixed parts of the migration. Use a C# migration to write configured values."));
                ok = false;
            }
            else if (isCondition && value.Kind is not (ValueKindModel.Null or ValueKindModel.Boolean or ValueKindModel.Integer or ValueKindModel.Double or ValueKindModel.String or ValueKindModel.Timestamp or ValueKindModel.Reference))
            {
                _diagnostics.Add(DiagnosticInfo.Create(SeedingDiagnostics.UnexpectedNode, location, $"The condition on '{name}'",
                    "a scalar (string, number, boolean, !timestamp, !ref) or null (null or missing)", Describe(value.Kind)));
                ok = false;
            }
            else
            {
                into?.Add((new NamedValue(name, value), location));
            }
        }

        return ok;
    }

    private static string Describe(ValueKindModel kind) => kind switch
    {
        ValueKindModel.Map => "a mapping",
        ValueKindModel.Array => "a list",
        ValueKindModel.ServerTime => "!now",
        ValueKindModel.GeoPoint => "a geo point",
        ValueKindModel.Bytes => "bytes",
        _ => kind.ToString(),
    };

    private string? ReadCollection(YamlNode node)
    {
        var text = ScalarText(node, "The collection");
        if (text is null)
        {
            return null;
        }

        var problem = DocumentRules.ValidateCollectionPath(text);
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidCollectionPath, node, DocumentRules.Shorten(text), problem);
            return null;
        }

        return text;
    }

    private string? ReadFieldName(YamlNode node, string what)
    {
        var text = ScalarText(node, what);
        var problem = text is null ? null : DocumentRules.ValidateFieldName(text);
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidFieldName, node, problem);
            return null;
        }

        return text;
    }

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
