using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Seeding.Cli.Output;

/// <summary>
/// What every <c>--output json</c> document shares: one indented object whose first fields are <c>schemaVersion</c>,
/// <c>command</c> and <c>exitCode</c>, ending with a newline.
/// </summary>
internal static class JsonEnvelope
{
    /// <summary>The version of the JSON shape; raised only on a breaking change.</summary>
    public const int SchemaVersion = 1;

    /// <summary>
    /// <c>show</c> and <c>diff</c>: version 2 since their Firestore values are typed (<see cref="Seeding.Plans.ValueJson"/>,
    /// the encoding saved plans use), where version 1 wrote bare JSON numbers and <c>$</c>-tagged objects.
    /// </summary>
    public const int TypedValuesSchemaVersion = 2;

    /// <summary>The <c>schemaVersion</c> a command's documents carry, its error documents included.</summary>
    public static int SchemaVersionOf(string command) =>
        command is "show" or "diff" ? TypedValuesSchemaVersion : SchemaVersion;

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The fields every document starts with.</summary>
    public static void Header(Utf8JsonWriter w, string command, int exitCode)
    {
        w.WriteNumber("schemaVersion", SchemaVersionOf(command));
        w.WriteString("command", command);
        w.WriteNumber("exitCode", exitCode);
    }

    /// <summary>One document: an object whose fields <paramref name="body"/> writes.</summary>
    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
