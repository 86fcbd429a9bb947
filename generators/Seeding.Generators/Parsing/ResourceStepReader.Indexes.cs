using System;
using System.Collections.Generic;
using System.Linq;
using Seeding.Generators.Diagnostics;
using Seeding.Generators.Model;
using Seeding.Resources;

namespace Seeding.Generators.Parsing;

/// <summary>The Firestore part: composite indexes (<c>index:</c>) and single-field overrides (<c>field_override:</c>).</summary>
internal sealed partial class ResourceStepReader
{
    private const string Orders = "ascending, descending or contains";

    private ResourceModel? ReadIndex(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, YamlNode mapping, string what, string name)
    {
        var scope = "Collection";
        var ok = true;
        if (keys.TryGetValue("scope", out var scopeEntry))
        {
            var read = ReadScope(scopeEntry.Value, "'scope:'");
            ok &= read is not null;
            scope = read ?? scope;
        }

        if (!keys.TryGetValue("fields", out var fieldsEntry))
        {
            Report(SeedingDiagnostics.MissingKey, mapping, what, "'fields:', the indexed fields in order, e.g. [ { tenant_id: ascending }, { email: ascending } ]");
            return null;
        }

        if (fieldsEntry.Value.Kind != YamlNodeKind.Sequence)
        {
            Report(SeedingDiagnostics.UnexpectedNode, fieldsEntry.Value, "'fields:'", "a list of { field: ascending | descending | contains }", fieldsEntry.Value.Describe());
            return null;
        }

        var fields = new List<IndexFieldModel>();
        var contains = 0;
        foreach (var item in fieldsEntry.Value.Items)
        {
            if (item.Kind != YamlNodeKind.Mapping || item.Pairs.Count != 1)
            {
                Report(SeedingDiagnostics.UnexpectedNode, item, "An index field", "a mapping of one field path to its order, e.g. { email: ascending }", item.Describe());
                ok = false;
                continue;
            }

            var pair = item.Pairs[0];
            var path = FieldPath(pair.Key, "An index field");
            var order = ReadOrder(pair.Value, $"The order of '{YamlNode.Shorten(path ?? pair.Key.Value)}'");
            if (path is null || order is null)
            {
                ok = false;
                continue;
            }

            if (fields.Any(f => f.Path == path))
            {
                Report(SeedingDiagnostics.InvalidIndex, pair.Key, "index", $"field '{YamlNode.Shorten(path)}' is listed twice; an index names each field once");
                ok = false;
                continue;
            }

            if (order == "Contains" && ++contains > 1)
            {
                Report(SeedingDiagnostics.InvalidIndex, pair.Value, "index", $"'{YamlNode.Shorten(path)}' is a second 'contains' field; Firestore allows at most one array-contains field per index");
                ok = false;
                continue;
            }

            fields.Add(new IndexFieldModel(path, order));
        }

        if (ok && fields.Count < 2)
        {
            Report(SeedingDiagnostics.InvalidIndex, fieldsEntry.Key, "index",
                $"it has {fields.Count} field{(fields.Count == 1 ? string.Empty : "s")}; a composite index needs at least two (Firestore indexes single fields by itself: use 'field_override:' to change those)");
            ok = false;
        }

        return ok ? new ResourceModel(ResourceKinds.Index, name) { Scope = scope, Fields = fields.ToEquatableArray() } : null;
    }

    private ResourceModel? ReadFieldOverride(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> keys, YamlNode mapping, string what, string name)
    {
        string? field = null;
        var ok = true;
        if (!keys.TryGetValue("field", out var fieldEntry))
        {
            Report(SeedingDiagnostics.MissingKey, mapping, what, "'field: <path>', the field whose indexes or TTL policy it sets");
            ok = false;
        }
        else
        {
            field = FieldPath(fieldEntry.Value, "'field:'");
            ok &= field is not null;
        }

        bool? ttl = null;
        if (keys.TryGetValue("ttl", out var ttlEntry))
        {
            var node = ttlEntry.Value;
            var value = node.Kind == YamlNodeKind.Scalar && node.Tag is null && node.IsPlain ? ScalarResolver.ResolvePlain(node.Value, out _) : null;
            if (value?.Kind == ValueKindModel.Boolean)
            {
                ttl = value.Text == "true";
            }
            else
            {
                Report(SeedingDiagnostics.UnexpectedNode, node, "'ttl:'", "true (documents expire at the field's timestamp) or false (no TTL policy)", node.Describe());
                ok = false;
            }
        }

        var indexes = new List<FieldIndexModel>();
        var hasIndexes = keys.TryGetValue("indexes", out var indexesEntry);
        if (hasIndexes)
        {
            ok &= ReadFieldIndexes(indexesEntry.Value, indexes);
        }

        if (!hasIndexes && ttlEntry.Key is null)
        {
            Report(SeedingDiagnostics.MissingKey, mapping, what, "'ttl:' or 'indexes:' (a field override with neither changes nothing)");
            ok = false;
        }

        return ok && field is not null
            ? new ResourceModel(ResourceKinds.FieldOverride, name) { FieldPath = field, Ttl = ttl, HasIndexes = hasIndexes, Indexes = indexes.ToEquatableArray() }
            : null;
    }

    private bool ReadFieldIndexes(YamlNode node, List<FieldIndexModel> indexes)
    {
        if (node.Kind != YamlNodeKind.Sequence)
        {
            Report(SeedingDiagnostics.UnexpectedNode, node, "'indexes:'", "a list of orders, e.g. [ascending, descending], or [] to turn the field's indexes off", node.Describe());
            return false;
        }

        var ok = true;
        foreach (var item in node.Items)
        {
            var index = item.Kind == YamlNodeKind.Mapping ? ReadFieldIndexMapping(item) : ReadOrder(item, "A field index") is { } order ? new FieldIndexModel(order, "Collection") : null;
            if (index is null)
            {
                ok = false;
            }
            else if (indexes.Contains(index))
            {
                Report(SeedingDiagnostics.InvalidIndex, item, "field override", $"the index {index.Order.ToLowerInvariant()} ({Scope(index.Scope)}) is listed twice");
                ok = false;
            }
            else
            {
                indexes.Add(index);
            }
        }

        return ok;
    }

    private FieldIndexModel? ReadFieldIndexMapping(YamlNode item)
    {
        string? order = null;
        var scope = "Collection";
        var ok = true;
        foreach (var pair in item.Pairs)
        {
            var key = pair.Key.Kind == YamlNodeKind.Scalar ? pair.Key.Value : null;
            if (key == "order")
            {
                order = ReadOrder(pair.Value, "'order:'");
                ok &= order is not null;
            }
            else if (key == "scope")
            {
                var read = ReadScope(pair.Value, "'scope:'");
                ok &= read is not null;
                scope = read ?? scope;
            }
            else
            {
                Report(SeedingDiagnostics.UnknownKey, pair.Key, YamlNode.Shorten(key ?? pair.Key.Describe()), "a field index", KeySuggestion.Advice(key ?? string.Empty, FieldIndexKeys));
                ok = false;
            }
        }

        if (ok && order is null)
        {
            Report(SeedingDiagnostics.MissingKey, item, "A field index", $"'order:' ({Orders})");
            ok = false;
        }

        return ok ? new FieldIndexModel(order!, scope) : null;
    }

    /// <summary>A field path by the runtime's rule (the field-name rule per dotted segment).</summary>
    private string? FieldPath(YamlNode node, string what)
    {
        var text = Text(node, what, "a field path, e.g. email or profile.email");
        var problem = text is null ? null : ResourceRules.ValidateFieldPath(text);
        if (problem is not null)
        {
            Report(SeedingDiagnostics.InvalidFieldName, node, problem);
            return null;
        }

        return text;
    }

    /// <summary>The IndexOrder member name of <c>ascending</c>, <c>descending</c> or <c>contains</c>.</summary>
    private string? ReadOrder(YamlNode node, string what)
    {
        var text = node.Kind == YamlNodeKind.Scalar && node.Tag is null ? node.Value : null;
        var order = text switch
        {
            "ascending" => "Ascending",
            "descending" => "Descending",
            "contains" => "Contains",
            _ => null,
        };
        if (order is null)
        {
            Report(SeedingDiagnostics.UnexpectedNode, node, what, Orders, node.Describe());
        }

        return order;
    }

    /// <summary>The IndexScope member name of <c>collection</c> or <c>collection_group</c>.</summary>
    private string? ReadScope(YamlNode node, string what)
    {
        var text = node.Kind == YamlNodeKind.Scalar && node.Tag is null ? node.Value : null;
        var scope = text switch
        {
            "collection" => "Collection",
            "collection_group" => "CollectionGroup",
            _ => null,
        };
        if (scope is null)
        {
            Report(SeedingDiagnostics.UnexpectedNode, node, what, "collection (queries on one collection) or collection_group (queries across every collection of that id)", node.Describe());
        }

        return scope;
    }

    private static string Scope(string scope) => scope == "CollectionGroup" ? "collection_group" : "collection";
}
