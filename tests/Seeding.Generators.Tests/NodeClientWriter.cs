using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Seeding.Documents;
using Seeding.TestSupport;
using Seeding.Values;

namespace Seeding.Generators.Tests;

/// <summary>
/// Writes documents on the Firestore emulator with Google's official Node.js client (<c>interop.js write-typed</c> of the
/// Firestore interop tests), each value sent with an explicit type tag, as an existing Node service would have written them.
/// </summary>
internal static class NodeClientWriter
{
    /// <summary>
    /// The value as the Node client can write it: that client sends an integral JS number as an integer, so a double with
    /// an integral value up to 2^53 (other than -0) moves by a half to stay a double. Every other value is kept.
    /// </summary>
    public static Value Expressible(Value value) => value.Kind switch
    {
        ValueKind.Double when IsSafeInteger(value.AsDouble()) => Value.Double(value.AsDouble() + 0.5),
        ValueKind.Array => Value.Array(value.AsArray().Select(Expressible)),
        ValueKind.Map => Value.Map(value.AsMap().Select(p => KeyValuePair.Create(p.Key, Expressible(p.Value)))),
        _ => value,
    };

    // The Node client's test (serializer.js): Number.isSafeInteger and not -0.
    private static bool IsSafeInteger(double d) => double.IsInteger(d) && Math.Abs(d) <= 9007199254740991 && !(d == 0 && double.IsNegative(d));

    /// <summary>Writes <paramref name="documents"/> with the Node client on the emulator at <paramref name="emulatorHost"/>.</summary>
    public static async Task WriteAsync(string emulatorHost, string projectId, IReadOnlyDictionary<DocumentPath, IReadOnlyDictionary<string, Value>> documents, string scratchFolder)
    {
        Directory.CreateDirectory(scratchFolder);
        var file = Path.Combine(scratchFolder, "node-documents.json");
        using (var stream = File.Create(file))
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (var (path, fields) in documents)
            {
                json.WritePropertyName(path.ToString());
                WriteFields(json, fields);
            }

            json.WriteEndObject();
        }

        var folder = await InteropFolderAsync();
        var start = new ProcessStartInfo("node", ["interop.js", projectId, "write-typed", file]) { WorkingDirectory = folder };
        start.Environment["FIRESTORE_EMULATOR_HOST"] = emulatorHost;
        var result = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(3), "node interop.js write-typed");
        Assert.True(result.ExitCode == 0 && result.Output.Contains("interop ok", StringComparison.Ordinal), $"node interop.js write-typed exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
    }

    private static void WriteFields(Utf8JsonWriter json, IReadOnlyDictionary<string, Value> fields)
    {
        json.WriteStartObject();
        foreach (var (key, value) in fields)
        {
            json.WritePropertyName(key);
            Write(json, value);
        }

        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, Value value)
    {
        void Tagged(string tag, string text)
        {
            json.WriteStartObject();
            json.WriteString(tag, text);
            json.WriteEndObject();
        }

        switch (value.Kind)
        {
            case ValueKind.Null:
                json.WriteNullValue();
                break;
            case ValueKind.Boolean:
                json.WriteBooleanValue(value.AsBoolean());
                break;
            case ValueKind.String:
                json.WriteStringValue(value.AsString());
                break;
            case ValueKind.Integer:
                Tagged("$int", value.AsInteger().ToString(CultureInfo.InvariantCulture));
                break;
            case ValueKind.Double:
                Tagged("$double", value.AsDouble().ToString("R", CultureInfo.InvariantCulture));
                break;
            case ValueKind.Timestamp:
                Tagged("$ts", value.AsTimestamp().ToString());
                break;
            case ValueKind.Bytes:
                Tagged("$bytes", Convert.ToBase64String(value.AsBytes().Span));
                break;
            case ValueKind.Reference:
                Tagged("$ref", value.AsReference().ToString());
                break;
            case ValueKind.GeoPoint:
                json.WriteStartObject();
                json.WriteStartArray("$geo");
                json.WriteStringValue(value.AsGeoPoint().Latitude.ToString("R", CultureInfo.InvariantCulture));
                json.WriteStringValue(value.AsGeoPoint().Longitude.ToString("R", CultureInfo.InvariantCulture));
                json.WriteEndArray();
                json.WriteEndObject();
                break;
            case ValueKind.Array:
                json.WriteStartArray();
                foreach (var item in value.AsArray())
                {
                    Write(json, item);
                }

                json.WriteEndArray();
                break;
            case ValueKind.Map:
                json.WriteStartObject();
                json.WritePropertyName("$map");
                WriteFields(json, value.AsMap());
                json.WriteEndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "A live document holds no such value.");
        }
    }

    // The Firestore interop tests' folder, with the official client installed from its lock file (once, shared with those tests).
    private static async Task<string> InteropFolderAsync()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "tests", "Seeding.Firestore.Tests", "interop");
            if (File.Exists(Path.Combine(folder, "interop.js")))
            {
                return await NodePackages.EnsureInstalledAsync(folder);
            }
        }

        throw new InvalidOperationException($"tests/Seeding.Firestore.Tests/interop/interop.js was not found above {AppContext.BaseDirectory}.");
    }
}
