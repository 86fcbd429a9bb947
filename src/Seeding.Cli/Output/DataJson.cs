using System.Text.Json;
using Seeding.Documents;
using Seeding.Running;
using Seeding.Store;
using Seeding.Values;
using static Seeding.Cli.Output.JsonEnvelope;

namespace Seeding.Cli.Output;

/// <summary>JSON documents of <c>show</c> and <c>accept</c>.</summary>
internal static class DataJson
{
    /// <summary>
    /// <c>show</c>: the documents with their times and fields. Fields map to JSON by kind: null, booleans, strings, maps and
    /// arrays as themselves; integers as numbers, doubles as numbers with a fraction or exponent (<c>891.0</c>; NaN and
    /// infinities as <c>{"$double": "NaN"}</c>); <c>{"$timestamp": "..."}</c>, <c>{"$ref": "..."}</c>,
    /// <c>{"$geo": [lat, lon]}</c>, <c>{"$bytes": "base64"}</c> for the rest.
    /// </summary>
    public static string Show(string target, string store, IReadOnlyList<DocumentSnapshot> documents, bool more, Timestamp? storeTime = null) => Write(w =>
    {
        Header(w, "show", ExitCodes.Ok);
        w.WriteString("store", store);
        w.WriteString("target", target);
        w.WriteStartArray("documents");
        foreach (var document in documents)
        {
            w.WriteStartObject();
            w.WriteString("path", document.Path.ToString());
            w.WriteString("createTime", document.CreateTime?.ToString());
            w.WriteString("updateTime", document.UpdateTime?.ToString());
            w.WritePropertyName("fields");
            FieldValue(w, Value.Map(document.Fields));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteBoolean("more", more);
        w.WriteString("storeTime", storeTime?.ToString());
        w.WriteNull("error");
    });

    public static string Accept(string service, string store, AcceptReport report, string? lockFile, string? lockChange) => Write(w =>
    {
        Header(w, "accept", ExitCodes.Ok);
        w.WriteString("store", store);
        w.WriteString("service", service);
        w.WriteString("migration", report.Migration.ToString());
        w.WriteString("source", report.Migration.SourcePath);
        w.WriteBoolean("dryRun", report.DryRun);
        w.WriteString("oldChecksum", report.OldChecksum);
        w.WriteString("newChecksum", report.NewChecksum);
        w.WriteString("reason", report.Reason);
        w.WriteString("acceptedBy", report.AcceptedBy);
        w.WriteString("acceptedAt", report.AcceptedAt?.ToString());
        w.WriteString("lockFile", lockFile);
        w.WriteString("lockFileChange", lockChange);
        w.WriteNull("error");
    });

    /// <summary>A stored value as JSON (tagged objects for timestamps, bytes, references, non-finite doubles); <c>diff</c> uses it too.</summary>
    internal static void FieldValue(Utf8JsonWriter w, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null:
                w.WriteNullValue();
                break;
            case ValueKind.Boolean:
                w.WriteBooleanValue(value.AsBoolean());
                break;
            case ValueKind.Integer:
                w.WriteNumberValue(value.AsInteger());
                break;
            case ValueKind.Double when double.IsFinite(value.AsDouble()):
                w.WriteRawValue(SeedYamlWriter.Inline(value));
                break;
            case ValueKind.Double:
                Tagged(w, "$double", double.IsNaN(value.AsDouble()) ? "NaN" : value.AsDouble() > 0 ? "Infinity" : "-Infinity");
                break;
            case ValueKind.Timestamp:
                Tagged(w, "$timestamp", value.AsTimestamp().ToString());
                break;
            case ValueKind.String:
                w.WriteStringValue(value.AsString());
                break;
            case ValueKind.Bytes:
                Tagged(w, "$bytes", Convert.ToBase64String(value.AsBytes().Span));
                break;
            case ValueKind.Reference:
                Tagged(w, "$ref", value.AsReference().ToString());
                break;
            case ValueKind.GeoPoint:
                w.WriteStartObject();
                w.WriteStartArray("$geo");
                w.WriteNumberValue(value.AsGeoPoint().Latitude);
                w.WriteNumberValue(value.AsGeoPoint().Longitude);
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case ValueKind.Array:
                w.WriteStartArray();
                foreach (var item in value.AsArray())
                {
                    FieldValue(w, item);
                }

                w.WriteEndArray();
                break;
            case ValueKind.Map:
                w.WriteStartObject();
                foreach (var (key, item) in value.AsMap().OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(key);
                    FieldValue(w, item);
                }

                w.WriteEndObject();
                break;
        }
    }

    private static void Tagged(Utf8JsonWriter w, string tag, string text)
    {
        w.WriteStartObject();
        w.WriteString(tag, text);
        w.WriteEndObject();
    }
}
