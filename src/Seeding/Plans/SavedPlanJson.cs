using System.Text.Json;
using Seeding.Definitions;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;

namespace Seeding.Plans;

/// <summary>
/// The plan file (<c>seeding plan --out</c>): a <see cref="SavedPlan"/> as indented JSON, field values in the typed
/// encoding of <see cref="ValueJson"/>. The format is described in docs/saved-plans.md.
/// </summary>
public static class SavedPlanJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Writes <paramref name="plan"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, SavedPlan plan)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(plan);
        using var writer = new Utf8JsonWriter(stream, Indented);
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", plan.SchemaVersion);
        writer.WriteString("kind", "seeding-plan");
        writer.WriteString("store", plan.Store);
        writer.WriteStartArray("phases");
        foreach (var phase in plan.Phases)
        {
            writer.WriteStringValue(PhaseName(phase));
        }

        writer.WriteEndArray();
        writer.WriteString("environment", plan.Environment);
        writer.WriteString("readAt", ValueJson.FormatTimestamp(plan.ReadAt));
        writer.WriteStartArray("services");
        foreach (var service in plan.Services)
        {
            writer.WriteStartObject();
            writer.WriteString("service", service.Service);
            writer.WriteString("seedsChecksum", service.SeedsChecksum);
            writer.WriteStartArray("seeds");
            foreach (var seed in service.Seeds)
            {
                writer.WriteStartObject();
                writer.WriteString("seed", seed.Seed);
                writer.WriteString("checksum", seed.Checksum);
                writer.WriteStartArray("entries");
                foreach (var entry in seed.Entries)
                {
                    WriteEntry(writer, entry);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads a plan file.</summary>
    /// <exception cref="FormatException">Not a plan file, or one of another schema version; the message says where and what to do.</exception>
    public static SavedPlan Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a plan file (invalid JSON: {e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != "seeding-plan")
            {
                throw new FormatException("Not a plan file: expected a JSON object with \"kind\": \"seeding-plan\" (written by seeding plan --out).");
            }

            var version = Required(root, "schemaVersion", "$", JsonValueKind.Number).GetInt32();
            if (version != SavedPlan.CurrentSchemaVersion)
            {
                throw new FormatException($"The plan file has schemaVersion {version}; this Seeding reads version {SavedPlan.CurrentSchemaVersion}. Make the plan again with this version (seeding plan --out).");
            }

            return new SavedPlan
            {
                SchemaVersion = version,
                Store = String(root, "store", "$"),
                Phases = Required(root, "phases", "$", JsonValueKind.Array).EnumerateArray().Select((p, i) => Phase(p, $"$.phases[{i}]")).ToArray(),
                Environment = root.TryGetProperty("environment", out var environment) && environment.ValueKind == JsonValueKind.String ? environment.GetString() : null,
                ReadAt = ValueJson.ParseTimestamp(String(root, "readAt", "$"), "$.readAt"),
                Services = Required(root, "services", "$", JsonValueKind.Array).EnumerateArray().Select((s, i) => ReadService(s, $"$.services[{i}]")).ToArray(),
            };
        }
    }

    private static void WriteEntry(Utf8JsonWriter writer, SavedPlanEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("path", entry.Path.ToString());
        writer.WriteString("action", ActionName(entry.Action));
        writer.WriteNumber("line", entry.Line);
        switch (entry.Seen)
        {
            case SeenState.Absent:
                writer.WriteString("seen", "absent");
                break;
            case SeenState.PlannedEarlier:
                writer.WriteString("seen", "plannedEarlier");
                break;
            default:
                writer.WriteStartObject("seen");
                writer.WriteString("updateTime", ValueJson.FormatTimestamp(entry.SeenUpdateTime!.Value));
                writer.WriteEndObject();
                break;
        }

        if (entry.Write is { } write)
        {
            writer.WriteStartObject("write");
            writer.WriteString("kind", write.Kind.ToString().ToLowerInvariant());
            if (write.Kind != WriteKind.Delete)
            {
                writer.WritePropertyName("fields");
                ValueJson.WriteFields(writer, write.Fields);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static SavedServicePlan ReadService(JsonElement json, string where) => new()
    {
        Service = String(json, "service", where),
        SeedsChecksum = String(json, "seedsChecksum", where),
        Seeds = Required(json, "seeds", where, JsonValueKind.Array).EnumerateArray().Select((s, i) =>
        {
            var at = $"{where}.seeds[{i}]";
            return new SavedSeedPlan(
                String(s, "seed", at),
                String(s, "checksum", at),
                Required(s, "entries", at, JsonValueKind.Array).EnumerateArray().Select((e, j) => ReadEntry(e, $"{at}.entries[{j}]")).ToArray());
        }).ToArray(),
    };

    private static SavedPlanEntry ReadEntry(JsonElement json, string where)
    {
        var path = Path(String(json, "path", where), $"{where}.path");
        var action = String(json, "action", where) switch
        {
            "create" => PlanAction.Create,
            "update" => PlanAction.Update,
            "skipExists" => PlanAction.SkipExists,
            "skipUnchanged" => PlanAction.SkipUnchanged,
            var other => throw new FormatException($"{where}.action: '{other}' is not create, update, skipExists or skipUnchanged."),
        };
        var line = Required(json, "line", where, JsonValueKind.Number).GetInt32();
        var seen = Required(json, "seen", where);
        var (state, updateTime) = seen.ValueKind switch
        {
            JsonValueKind.String when seen.GetString() == "absent" => (SeenState.Absent, (Timestamp?)null),
            JsonValueKind.String when seen.GetString() == "plannedEarlier" => (SeenState.PlannedEarlier, null),
            JsonValueKind.Object => (SeenState.Present, ValueJson.ParseTimestamp(String(seen, "updateTime", $"{where}.seen"), $"{where}.seen.updateTime")),
            _ => throw new FormatException($"{where}.seen: expected \"absent\", \"plannedEarlier\" or {{\"updateTime\": ...}}."),
        };
        DocumentWrite? write = null;
        if (json.TryGetProperty("write", out var writeJson))
        {
            var at = $"{where}.write";
            write = String(writeJson, "kind", at) switch
            {
                "set" => DocumentWrite.Set(path, ValueJson.ReadFields(Required(writeJson, "fields", at), $"{at}.fields")),
                "merge" => DocumentWrite.Merge(path, ValueJson.ReadFields(Required(writeJson, "fields", at), $"{at}.fields")),
                "delete" => DocumentWrite.Delete(path),
                var other => throw new FormatException($"{at}.kind: '{other}' is not set, merge or delete."),
            };
        }

        if ((write is null) != (action is PlanAction.SkipExists or PlanAction.SkipUnchanged))
        {
            throw new FormatException($"{where}: a {ActionName(action)} entry {(write is null ? "needs" : "has no")} \"write\".");
        }

        return new SavedPlanEntry(path, action, line, state, updateTime, write);
    }

    private static string ActionName(PlanAction action) => action switch
    {
        PlanAction.Create => "create",
        PlanAction.Update => "update",
        PlanAction.SkipExists => "skipExists",
        _ => "skipUnchanged",
    };

    private static string PhaseName(SeedPhase phase) => phase.ToString().ToLowerInvariant();

    private static SeedPhase Phase(JsonElement json, string where) =>
        json.ValueKind == JsonValueKind.String && Enum.TryParse<SeedPhase>(json.GetString(), ignoreCase: true, out var phase) && Enum.IsDefined(phase)
            ? phase
            : throw new FormatException($"{where}: expected pre, bootstrap or post.");

    private static DocumentPath Path(string text, string where)
    {
        try
        {
            return DocumentPath.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{where}: {e.Message}", e);
        }
    }

    private static JsonElement Required(JsonElement json, string name, string where, JsonValueKind? kind = null) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && (kind is null || value.ValueKind == kind)
            ? value
            : throw new FormatException($"{where}: missing \"{name}\"{(kind is null ? string.Empty : $" ({kind.Value.ToString().ToLowerInvariant()})")}.");

    private static string String(JsonElement json, string name, string where) => Required(json, name, where, JsonValueKind.String).GetString()!;
}
