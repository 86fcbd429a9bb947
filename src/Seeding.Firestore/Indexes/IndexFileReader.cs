using System.Text.Json;
using Seeding.Firestore.Internal;
using Seeding.Resources;

namespace Seeding.Firestore.Indexes;

/// <summary>Reads the Firebase CLI's index file, for <c>seeding pull --indexes-file</c> (<see cref="FirestoreIndexFile.Parse"/>).</summary>
internal static class IndexFileReader
{
    /// <summary>
    /// Reads an index file (<c>firestore.indexes.json</c>, as <c>firebase firestore:indexes</c> exports it or
    /// <see cref="FirestoreIndexFile.ToJson"/> writes it) as declarations: field paths unquoted, a trailing <c>__name__</c> dropped, an
    /// override's indexes left out (null) when they are Firestore's automatic ones (which the format must list), and
    /// <c>"ttl": false</c> left out (off is the default). Entries Seeding cannot declare (vector fields, other API
    /// scopes, a field name holding a '.', a composite index of fewer than two fields, an override that changes
    /// nothing) are left out and told to <paramref name="skipped"/>.
    /// </summary>
    /// <param name="json">The file's text.</param>
    /// <param name="skipped">Told what each left-out entry is and why, e.g. <c>indexes[3] (users): a vector field</c>.</param>
    /// <exception cref="FormatException">The text is not JSON in this format; the message names the place (<c>indexes[0].fields[1].order</c>).</exception>
    public static (List<IndexSpec> Indexes, List<FieldOverrideSpec> FieldOverrides) Read(string json, Action<string>? skipped)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"the file holds {Describe(root)}; an index file is an object with \"indexes\" and \"fieldOverrides\" lists");
            }

            var indexes = new List<IndexSpec>();
            var i = 0;
            foreach (var entry in Items(root, "indexes"))
            {
                var at = $"indexes[{i++}]";
                if (ReadIndex(entry, at, out var why) is { } index)
                {
                    indexes.Add(index);
                }
                else
                {
                    skipped?.Invoke($"{at} ({Text(entry, "collectionGroup", at)}): {why}");
                }
            }

            var fields = new List<FieldOverrideSpec>();
            i = 0;
            foreach (var entry in Items(root, "fieldOverrides"))
            {
                var at = $"fieldOverrides[{i++}]";
                if (ReadFieldOverride(entry, at, out var why) is { } field)
                {
                    fields.Add(field);
                }
                else
                {
                    skipped?.Invoke($"{at} ({Text(entry, "collectionGroup", at)}.{Text(entry, "fieldPath", at)}): {why}");
                }
            }

            return (indexes, fields);
        }
    }

    private static IndexSpec? ReadIndex(JsonElement entry, string at, out string why)
    {
        var group = CollectionGroup(entry, at);
        if (Optional(entry, "apiScope", at) is { } api && api != "ANY_API")
        {
            why = $"apiScope {api} (Seeding declares Firestore indexes, ANY_API)";
            return null;
        }

        var scope = Optional(entry, "queryScope", at) switch
        {
            null or "COLLECTION" => (IndexScope?)IndexScope.Collection,
            "COLLECTION_GROUP" => IndexScope.CollectionGroup,
            "COLLECTION_RECURSIVE" => null,
            var other => throw Bad($"{at}.queryScope", $"is \"{other}\"; expected COLLECTION or COLLECTION_GROUP"),
        };
        var fields = new List<IndexField>();
        var f = 0;
        foreach (var field in Items(entry, "fields", at))
        {
            var fieldAt = $"{at}.fields[{f++}]";
            var path = FieldPath(field, fieldAt, out why);
            if (path == IndexMapping.NameField && f == entry.GetProperty("fields").GetArrayLength())
            {
                continue;
            }

            var order = Order(field, fieldAt, out var orderWhy);
            if (path is null || order is null)
            {
                why = path is null ? why : orderWhy;
                return null;
            }

            fields.Add(new IndexField(path, order.Value));
        }

        if (scope is null)
        {
            why = "queryScope COLLECTION_RECURSIVE (Seeding declares COLLECTION and COLLECTION_GROUP)";
            return null;
        }

        if (fields.Count < 2)
        {
            why = $"{fields.Count} field{(fields.Count == 1 ? string.Empty : "s")}; a composite index has at least two (Firestore indexes single fields on its own)";
            return null;
        }

        why = string.Empty;
        return new IndexSpec(group, scope.Value, fields);
    }

    private static FieldOverrideSpec? ReadFieldOverride(JsonElement entry, string at, out string why)
    {
        var group = CollectionGroup(entry, at);
        var path = FieldPath(entry, at, out why);
        if (path is null)
        {
            return null;
        }

        bool? ttl = entry.TryGetProperty("ttl", out var ttlValue)
            ? ttlValue.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => null,
                _ => throw Bad($"{at}.ttl", $"is {Describe(ttlValue)}; expected true or false"),
            }
            : null;
        List<FieldIndex>? indexes = null;
        if (entry.TryGetProperty("indexes", out _))
        {
            indexes = [];
            var i = 0;
            foreach (var index in Items(entry, "indexes", at))
            {
                var indexAt = $"{at}.indexes[{i++}]";
                var scope = Optional(index, "queryScope", indexAt) switch
                {
                    null or "COLLECTION" => IndexScope.Collection,
                    "COLLECTION_GROUP" => IndexScope.CollectionGroup,
                    var other => throw Bad($"{indexAt}.queryScope", $"is \"{other}\"; expected COLLECTION or COLLECTION_GROUP"),
                };
                if (Order(index, indexAt, out why) is not { } order)
                {
                    return null;
                }

                indexes.Add(new FieldIndex(order, scope));
            }

            // The format must list the indexes; Firestore's automatic ones are what a field has without an override.
            if (indexes.ToHashSet().SetEquals(FirestoreIndexFile.AutomaticIndexes))
            {
                indexes = null;
            }
        }

        if (ttl is null && indexes is null)
        {
            why = "it sets what Firestore does anyway (automatic indexes, no TTL policy)";
            return null;
        }

        why = string.Empty;
        return new FieldOverrideSpec(group, path) { Ttl = ttl, Indexes = indexes };
    }

    private static string CollectionGroup(JsonElement entry, string at)
    {
        var group = Required(entry, "collectionGroup", at);
        return ResourceRules.ValidateCollectionGroup(group) is { } problem ? throw Bad($"{at}.collectionGroup:", problem) : group;
    }

    private static string? FieldPath(JsonElement entry, string at, out string why)
    {
        var quoted = Required(entry, "fieldPath", at);
        why = string.Empty;
        if (quoted == IndexMapping.NameField)
        {
            return quoted;
        }

        if (FieldPaths.Unquoted(quoted) is not { } path)
        {
            // Malformed quoting is an error; a name holding a '.' is only something a declaration cannot say.
            if (FieldPaths.Parse(quoted) is null)
            {
                throw Bad($"{at}.fieldPath", $"\"{quoted}\" is not a field path (names joined by '.', quoted in backticks where not simple identifiers)");
            }

            why = $"field path {quoted} has a name holding a '.', which a declaration cannot name";
            return null;
        }

        return ResourceRules.ValidateFieldPath(path) is { } problem ? throw Bad($"{at}.fieldPath:", problem) : path;
    }

    private static IndexOrder? Order(JsonElement field, string at, out string why)
    {
        why = string.Empty;
        if (Optional(field, "order", at) is { } order)
        {
            return order switch
            {
                "ASCENDING" => IndexOrder.Ascending,
                "DESCENDING" => IndexOrder.Descending,
                _ => throw Bad($"{at}.order", $"is \"{order}\"; expected ASCENDING or DESCENDING"),
            };
        }

        if (Optional(field, "arrayConfig", at) is { } array)
        {
            return array == "CONTAINS" ? IndexOrder.Contains : throw Bad($"{at}.arrayConfig", $"is \"{array}\"; expected CONTAINS");
        }

        if (field.TryGetProperty("vectorConfig", out _))
        {
            why = "a vector field (Seeding declares ascending, descending and contains)";
            return null;
        }

        throw Bad(at, "has no \"order\" (ASCENDING, DESCENDING) or \"arrayConfig\" (CONTAINS)");
    }

    private static IEnumerable<JsonElement> Items(JsonElement parent, string name, string? at = null)
    {
        var where = at is null ? name : $"{at}.{name}";
        if (!parent.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return at is null ? [] : throw Bad(where, "is missing");
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Bad(where, $"is {Describe(list)}; expected a list");
        }

        return list.EnumerateArray().Select((item, i) => item.ValueKind == JsonValueKind.Object ? item : throw Bad($"{where}[{i}]", $"is {Describe(item)}; expected an object"));
    }

    private static string Required(JsonElement entry, string name, string at) =>
        Optional(entry, name, at) ?? throw Bad($"{at}.{name}", "is missing");

    private static string? Optional(JsonElement entry, string name, string at)
    {
        if (!entry.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad($"{at}.{name}", $"is {Describe(value)}; expected a string");
    }

    // For the skipped-entry notes only: never throws.
    private static string Text(JsonElement entry, string name, string at) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : $"{at}.{name}?";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static FormatException Bad(string at, string problem) => new($"{at} {problem}");
}
