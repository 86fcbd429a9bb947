using System.Text.Json;

namespace Seeding.Cli.Tests;

/// <summary>
/// The index configuration format the Firebase CLI deploys (firebase.google.com/docs/reference/firestore/indexes and
/// firebase-tools' src/firestore/README.md), as explicit checks: a file that passes them has only the keys and values
/// that format allows, with its required keys present.
/// </summary>
public static class IndexFileFormat
{
    private static readonly string[] Scopes = ["COLLECTION", "COLLECTION_GROUP"];

    public static void AssertValid(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        AssertKeys(root, required: ["indexes"], optional: ["fieldOverrides"]);
        foreach (var index in Array(root, "indexes"))
        {
            AssertKeys(index, required: ["collectionGroup", "queryScope", "fields"], optional: []);
            AssertText(index, "collectionGroup");
            Assert.Contains(index.GetProperty("queryScope").GetString(), Scopes);
            var fields = Array(index, "fields");
            Assert.NotEmpty(fields);
            foreach (var field in fields)
            {
                AssertKeys(field, required: ["fieldPath"], optional: ["order", "arrayConfig"]);
                AssertText(field, "fieldPath");
                AssertOneMode(field);
            }
        }

        if (root.TryGetProperty("fieldOverrides", out _))
        {
            foreach (var field in Array(root, "fieldOverrides"))
            {
                AssertKeys(field, required: ["collectionGroup", "fieldPath", "indexes"], optional: ["ttl"]);
                AssertText(field, "collectionGroup");
                AssertText(field, "fieldPath");
                if (field.TryGetProperty("ttl", out var ttl))
                {
                    Assert.True(ttl.ValueKind is JsonValueKind.True or JsonValueKind.False, $"ttl must be a boolean, not {ttl}");
                }

                foreach (var index in Array(field, "indexes"))
                {
                    AssertKeys(index, required: ["queryScope"], optional: ["order", "arrayConfig"]);
                    Assert.Contains(index.GetProperty("queryScope").GetString(), Scopes);
                    AssertOneMode(index);
                }
            }
        }
    }

    // A field is indexed in one mode: an order or an array config, never both.
    private static void AssertOneMode(JsonElement element)
    {
        var hasOrder = element.TryGetProperty("order", out var order);
        var hasArray = element.TryGetProperty("arrayConfig", out var array);
        Assert.True(hasOrder ^ hasArray, $"exactly one of order and arrayConfig: {element}");
        if (hasOrder)
        {
            Assert.Contains(order.GetString(), new[] { "ASCENDING", "DESCENDING" });
        }
        else
        {
            Assert.Equal("CONTAINS", array.GetString());
        }
    }

    private static JsonElement[] Array(JsonElement element, string name)
    {
        var value = element.GetProperty(name);
        Assert.Equal(JsonValueKind.Array, value.ValueKind);
        return value.EnumerateArray().ToArray();
    }

    private static void AssertText(JsonElement element, string name)
    {
        var value = element.GetProperty(name);
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(value.GetString()), $"{name} is blank");
    }

    private static void AssertKeys(JsonElement element, string[] required, string[] optional)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        var keys = element.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.All(required, key => Assert.Contains(key, keys));
        Assert.All(keys, key => Assert.True(required.Contains(key) || optional.Contains(key), $"'{key}' is not in the format: {element}"));
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }
}
