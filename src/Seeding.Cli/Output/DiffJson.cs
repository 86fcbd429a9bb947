using System.Text.Json;
using Seeding.Cli.Commands;
using Seeding.Diffing;

namespace Seeding.Cli.Output;

/// <summary>
/// <c>diff --output json</c>: the envelope, then per service its differences, with <c>live</c> and <c>declared</c> per
/// field path (typed values of <see cref="Plans.ValueJson"/>; null when absent or redacted), and per resource its
/// differing <c>settings</c> (names) and <c>changes</c> (<c>setting</c>, <c>before</c> live, <c>after</c> declared,
/// spelled as the seed format writes them).
/// </summary>
internal static class DiffJson
{
    public static string Write(DiffView view) => JsonEnvelope.Write(w =>
    {
        var result = view.Result;
        JsonEnvelope.Header(w, DiffCommand.Name, view.ExitCode);
        w.WriteString("store", view.Store);
        if (view.PubSub is null)
        {
            w.WriteNull("pubSub");
        }
        else
        {
            w.WriteString("pubSub", view.PubSub);
        }

        w.WriteString("consistency", result.Consistency);
        if (result.ReadTime is { } readTime)
        {
            w.WriteString("readTime", readTime.ToString());
        }
        else
        {
            w.WriteNull("readTime");
        }

        w.WriteBoolean("drift", result.HasDrift);
        w.WriteNumber("driftCount", result.DriftCount);
        w.WriteNumber("durationMs", (long)view.Duration.TotalMilliseconds);
        w.WriteStartArray("services");
        foreach (var service in result.Services)
        {
            Service(w, service);
        }

        w.WriteEndArray();
    });

    private static void Service(Utf8JsonWriter w, ServiceDiff service)
    {
        w.WriteStartObject();
        w.WriteString("service", service.Service);
        w.WriteNumber("documentsCompared", service.DocumentsCompared);
        w.WriteNumber("documentsUnchanged", service.UnchangedDocuments);
        w.WriteNumber("documentsPending", service.PendingDocuments);
        w.WriteNumber("driftCount", service.DriftCount);
        w.WriteStartArray("documents");
        foreach (var document in service.Documents)
        {
            w.WriteStartObject();
            w.WriteString("path", document.Path.ToString());
            w.WriteString("source", document.Source);
            w.WriteNumber("line", document.Line);
            w.WriteBoolean("missing", document.Missing);
            w.WriteBoolean("drifted", document.Drifted);
            w.WriteBoolean("pending", document.Pending);
            w.WriteStartArray("fields");
            foreach (var field in document.Fields)
            {
                w.WriteStartObject();
                w.WriteString("path", field.Path);
                w.WriteString("change", field.Kind.ToString().ToLowerInvariant());
                w.WriteBoolean("redacted", field.Redacted);
                w.WriteBoolean("pending", field.Pending);
                Value(w, "live", field.Live);
                Value(w, "declared", field.Declared);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("matches");
        foreach (var match in service.Matches)
        {
            w.WriteStartObject();
            w.WriteString("collection", match.Collection);
            w.WriteString("match", match.Match);
            w.WriteString("found", match.Found.ToString().ToLowerInvariant());
            w.WriteString("path", match.Path?.ToString());
            w.WriteString("source", match.Source);
            w.WriteNumber("line", match.Line);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("backfills");
        foreach (var backfill in service.Backfills)
        {
            w.WriteStartObject();
            w.WriteString("collection", backfill.Collection);
            w.WriteNumber("remaining", backfill.Remaining);
            w.WriteString("method", backfill.Method);
            w.WriteString("source", backfill.Source);
            w.WriteNumber("line", backfill.Line);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("resources");
        foreach (var resource in service.Resources)
        {
            w.WriteStartObject();
            w.WriteString("kind", JsonOutput.ResourceKind(resource.Kind));
            w.WriteString("name", resource.Name);
            w.WriteString("state", resource.State == ResourceDrift.NoTarget ? "no_target" : resource.State.ToString().ToLowerInvariant());
            w.WriteStartArray("settings");
            foreach (var setting in resource.Settings)
            {
                w.WriteStringValue(setting.Setting);
            }

            w.WriteEndArray();
            w.WriteString("note", resource.Note);
            w.WriteString("source", resource.Source);
            w.WriteNumber("line", resource.Line);
            // Added at the end, beside the names (so schemaVersion stays 2): each setting's live value (before) and
            // declared one (after), spelled as the seed format writes them; null when absent.
            w.WriteStartArray("changes");
            foreach (var setting in resource.Settings)
            {
                w.WriteStartObject();
                w.WriteString("setting", setting.Setting);
                w.WriteString("before", setting.Live);
                w.WriteString("after", setting.Declared);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("notCompared");
        foreach (var left in service.NotCompared)
        {
            w.WriteStartObject();
            w.WriteString("what", left.What);
            w.WriteString("reason", left.Reason);
            w.WriteString("source", left.Source);
            w.WriteNumber("line", left.Line);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Value(Utf8JsonWriter w, string name, Values.Value? value)
    {
        w.WritePropertyName(name);
        if (value is null)
        {
            w.WriteNullValue();
        }
        else
        {
            Plans.ValueJson.Write(w, value);
        }
    }
}
