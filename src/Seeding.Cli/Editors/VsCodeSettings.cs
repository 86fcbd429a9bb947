using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seeding.Cli.Editors;

/// <summary>What <see cref="VsCodeSettings.Write"/> did with <c>.vscode/settings.json</c>.</summary>
internal enum VsCodeSettingsOutcome
{
    /// <summary>There was none; it was written.</summary>
    Created,

    /// <summary>It existed; the schema mapping and tags were added, everything else kept.</summary>
    Merged,

    /// <summary>It already mapped the schemas and declared the tags.</summary>
    AlreadySet,

    /// <summary>It could not be merged without losing something (comments, not an object); it was left as it is.</summary>
    LeftAlone,
}

/// <summary>
/// VS Code's <c>.vscode/settings.json</c> in the service's folder: <c>yaml.schemas</c> maps migrations/**, bootstrap/**
/// and seeding.yaml to the schema copies in <c>.seeding/schema/</c>, and <c>yaml.customTags</c> declares the seed tags.
/// An existing file is merged (its other settings kept) when it is plain JSON; one with comments is left as it is,
/// since rewriting it would drop them.
/// </summary>
internal static class VsCodeSettings
{
    /// <summary>The settings file, relative to the service's folder.</summary>
    public const string RelativePath = ".vscode/settings.json";

    private static readonly (string Schema, string[] Files)[] Mapping =
    [
        ($"./{EditorSchemas.Folder}/{EditorSchemas.SeedFile}", ["migrations/**/*.yaml", "bootstrap/**/*.yaml"]),
        ($"./{EditorSchemas.Folder}/{EditorSchemas.ServiceSettings}", ["seeding.yaml"]),
    ];

    /// <summary>The settings Seeding needs, as a JSON object (what a new file holds, and what to add by hand).</summary>
    public static string Snippet => Serialize(Merge(new JsonObject()).Settings);

    /// <summary>Writes or merges <c>.vscode/settings.json</c> in <paramref name="serviceDirectory"/>.</summary>
    public static VsCodeSettingsOutcome Write(string serviceDirectory)
    {
        var path = Path.Combine(serviceDirectory, ".vscode", "settings.json");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Snippet, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return VsCodeSettingsOutcome.Created;
        }

        JsonObject settings;
        try
        {
            // Strict JSON only: VS Code allows comments and trailing commas, which a rewrite would lose.
            settings = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return VsCodeSettingsOutcome.LeftAlone;
        }

        var (merged, changed, ok) = Merge(settings);
        if (!ok)
        {
            return VsCodeSettingsOutcome.LeftAlone;
        }

        if (!changed)
        {
            return VsCodeSettingsOutcome.AlreadySet;
        }

        File.WriteAllText(path, Serialize(merged), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return VsCodeSettingsOutcome.Merged;
    }

    // Adds what is missing; an existing mapping of a schema, or a key of another shape, is the user's and stays.
    private static (JsonObject Settings, bool Changed, bool Ok) Merge(JsonObject settings)
    {
        var changed = false;
        if (settings["yaml.customTags"] is not JsonArray tags)
        {
            if (settings.ContainsKey("yaml.customTags"))
            {
                return (settings, false, false);
            }

            tags = [];
            settings["yaml.customTags"] = tags;
        }

        var known = tags.Select(t => t?.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null).ToHashSet(StringComparer.Ordinal);
        foreach (var tag in EditorSchemas.CustomTags.Where(t => !known.Contains(t)))
        {
            tags.Add(tag);
            changed = true;
        }

        if (settings["yaml.schemas"] is not JsonObject schemas)
        {
            if (settings.ContainsKey("yaml.schemas"))
            {
                return (settings, false, false);
            }

            schemas = [];
            settings["yaml.schemas"] = schemas;
        }

        foreach (var (schema, files) in Mapping.Where(m => !schemas.ContainsKey(m.Schema)))
        {
            schemas[schema] = new JsonArray([.. files.Select(f => (JsonNode)f)]);
            changed = true;
        }

        return (settings, changed, true);
    }

    private static string Serialize(JsonObject settings) =>
        settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2 }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
}
