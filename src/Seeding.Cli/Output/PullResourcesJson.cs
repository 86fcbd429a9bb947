using Seeding.Cli.Commands;
using Seeding.Documents;
using Seeding.Resources;
using static Seeding.Cli.Output.JsonEnvelope;

namespace Seeding.Cli.Output;

/// <summary>The JSON document of <c>pull --topics/--subscriptions/--indexes</c>.</summary>
internal static class PullResourcesJson
{
    public static string Written(string path, PulledResources pulled) => Write(w =>
    {
        Header(w, "pull", ExitCodes.Ok);
        w.WriteString("path", path);
        w.WriteStartArray("sources");
        foreach (var source in pulled.Sources)
        {
            w.WriteStringValue(source);
        }

        w.WriteEndArray();
        Names(w, "topics", pulled.Topics.Select(t => t.Name));
        Names(w, "subscriptions", pulled.Subscriptions.Select(s => s.Name));
        Names(w, "indexes", pulled.Indexes.Select(i => i.ToString()));
        Names(w, "fieldOverrides", pulled.FieldOverrides.Select(f => f.ToString()));
        Names(w, "notPulled", pulled.Notes);
        w.WriteNull("error");
    });

    private static void Names(System.Text.Json.Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
