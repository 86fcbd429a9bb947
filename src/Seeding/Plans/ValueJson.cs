using System.Globalization;
using System.Text;
using System.Text.Json;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Plans;

/// <summary>
/// A typed JSON encoding of <see cref="Value"/> that round-trips exactly: each value is an object with one member
/// naming its kind, so an integer never becomes a double, <c>-0.0</c>, NaN and the infinities survive, timestamps
/// keep every microsecond, and the server-time placeholder stays a placeholder. The shape:
/// <c>{"null":null}</c>, <c>{"boolean":true}</c>, <c>{"integer":"42"}</c> (a string: JSON readers that hold
/// numbers as doubles lose 64-bit integers), <c>{"double":1.5}</c> (<c>"NaN"</c>, <c>"Infinity"</c>,
/// <c>"-Infinity"</c> and <c>"-0"</c> as strings), <c>{"timestamp":"2024-05-01T12:00:00.000001Z"}</c>,
/// <c>{"serverTimestamp":true}</c>, <c>{"string":"..."}</c>, <c>{"bytes":"base64"}</c>, <c>{"reference":"users/u1"}</c>,
/// <c>{"geoPoint":{"latitude":1.5,"longitude":-2}}</c>, <c>{"array":[...]}</c> and <c>{"map":{"field":{...}}}</c>.
/// </summary>
public static class ValueJson
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>Writes <paramref name="value"/> in the typed encoding.</summary>
    public static void Write(Utf8JsonWriter writer, Value value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        switch (value.Kind)
        {
            case ValueKind.Null:
                writer.WriteNull("null");
                break;
            case ValueKind.Boolean:
                writer.WriteBoolean("boolean", value.AsBoolean());
                break;
            case ValueKind.Integer:
                writer.WriteString("integer", value.AsInteger().ToString(CultureInfo.InvariantCulture));
                break;
            case ValueKind.Double:
                writer.WritePropertyName("double");
                WriteDouble(writer, value.AsDouble());
                break;
            case ValueKind.Timestamp when value.AsTimestamp().IsServerTime:
                writer.WriteBoolean("serverTimestamp", true);
                break;
            case ValueKind.Timestamp:
                writer.WriteString("timestamp", FormatTimestamp(value.AsTimestamp()));
                break;
            case ValueKind.String:
                writer.WriteString("string", value.AsString());
                break;
            case ValueKind.Bytes:
                writer.WriteBase64String("bytes", value.AsBytes().Span);
                break;
            case ValueKind.Reference:
                writer.WriteString("reference", value.AsReference().ToString());
                break;
            case ValueKind.GeoPoint:
                writer.WriteStartObject("geoPoint");
                writer.WritePropertyName("latitude");
                WriteDouble(writer, value.AsGeoPoint().Latitude);
                writer.WritePropertyName("longitude");
                WriteDouble(writer, value.AsGeoPoint().Longitude);
                writer.WriteEndObject();
                break;
            case ValueKind.Array:
                writer.WriteStartArray("array");
                foreach (var item in value.AsArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case ValueKind.Map:
                writer.WritePropertyName("map");
                WriteFields(writer, value.AsMap());
                break;
            default:
                throw new NotSupportedException($"Value kind {value.Kind} has no JSON encoding in this Seeding version.");
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a document's fields as a JSON object of typed values, in ordinal key order (stable output).</summary>
    public static void WriteFields(Utf8JsonWriter writer, IReadOnlyDictionary<string, Value> fields)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fields);
        writer.WriteStartObject();
        foreach (var (name, field) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(name);
            Write(writer, field);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a value written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The JSON is not a typed value; the message says where and what was expected.</exception>
    public static Value Read(JsonElement element, string where = "$")
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected a typed value such as {{\"string\":\"x\"}}, found {element.ValueKind}.");
        }

        using var members = element.EnumerateObject();
        if (!members.MoveNext())
        {
            throw new FormatException($"{where}: a typed value needs one member naming its kind (null, boolean, integer, double, timestamp, serverTimestamp, string, bytes, reference, geoPoint, array, map).");
        }

        var member = members.Current;
        if (members.MoveNext())
        {
            throw new FormatException($"{where}: a typed value has exactly one member; found '{member.Name}' and '{members.Current.Name}'.");
        }

        var inner = $"{where}.{member.Name}";
        var json = member.Value;
        return member.Name switch
        {
            "null" when json.ValueKind == JsonValueKind.Null => Value.Null,
            "boolean" when json.ValueKind is JsonValueKind.True or JsonValueKind.False => Value.Boolean(json.GetBoolean()),
            "integer" => Value.Integer(ReadInteger(json, inner)),
            "double" => Value.Double(ReadDouble(json, inner)),
            "timestamp" => Value.Timestamp(ParseTimestamp(ReadString(json, inner), inner)),
            "serverTimestamp" when json.ValueKind == JsonValueKind.True => Value.ServerTimestamp,
            "string" => Value.String(ReadString(json, inner)),
            "bytes" => Value.Bytes(ReadBytes(json, inner)),
            "reference" => Value.Reference(ReadPath(ReadString(json, inner), inner)),
            "geoPoint" => Value.GeoPoint(ReadGeoPoint(json, inner)),
            "array" when json.ValueKind == JsonValueKind.Array => Value.Array(json.EnumerateArray().Select((item, i) => Read(item, $"{inner}[{i}]")).ToArray()),
            "map" => Value.Map(ReadFields(json, inner)),
            _ => throw new FormatException($"{where}: '{member.Name}' with a {json.ValueKind} is not a typed value (kinds: null, boolean, integer, double, timestamp, serverTimestamp, string, bytes, reference, geoPoint, array, map)."),
        };
    }

    /// <summary>Reads a JSON object of typed values written by <see cref="WriteFields"/>.</summary>
    /// <exception cref="FormatException">The JSON is not an object of typed values.</exception>
    public static IReadOnlyDictionary<string, Value> ReadFields(JsonElement element, string where = "$")
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected an object of fields, found {element.ValueKind}.");
        }

        var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            if (!fields.TryAdd(member.Name, Read(member.Value, $"{where}.{member.Name}")))
            {
                throw new FormatException($"{where}: the field '{member.Name}' appears twice.");
            }
        }

        return fields;
    }

    /// <summary>Serializes one value to a JSON string (see the type's remarks for the shape).</summary>
    public static string Serialize(Value value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses one value serialized by <see cref="Serialize"/>.</summary>
    /// <exception cref="FormatException">The text is not a typed value.</exception>
    public static Value Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not JSON: {e.Message}", e);
        }
    }

    /// <summary>A timestamp as RFC 3339 in UTC with all six fractional digits (every microsecond kept).</summary>
    public static string FormatTimestamp(Timestamp timestamp) =>
        timestamp.ToDateTimeOffset().ToString(TimestampFormat, CultureInfo.InvariantCulture);

    internal static Timestamp ParseTimestamp(string text, string where) =>
        Timestamp.TryParse(text, out var parsed) ? parsed : throw new FormatException($"{where}: '{text}' is not an RFC 3339 timestamp such as 2024-05-01T12:00:00.000001Z.");

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsNaN(value))
        {
            writer.WriteStringValue("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            writer.WriteStringValue("Infinity");
        }
        else if (double.IsNegativeInfinity(value))
        {
            writer.WriteStringValue("-Infinity");
        }
        else if (value == 0 && double.IsNegative(value))
        {
            writer.WriteStringValue("-0");
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    private static double ReadDouble(JsonElement json, string where) => json.ValueKind switch
    {
        JsonValueKind.Number when json.TryGetDouble(out var number) => number,
        JsonValueKind.String => json.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            "-0" => -0.0,
            var other => throw new FormatException($"{where}: '{other}' is not a double (a number, or \"NaN\", \"Infinity\", \"-Infinity\", \"-0\")."),
        },
        _ => throw new FormatException($"{where}: expected a number, found {json.ValueKind}."),
    };

    private static long ReadInteger(JsonElement json, string where) =>
        json.ValueKind == JsonValueKind.String && long.TryParse(json.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new FormatException($"{where}: expected a 64-bit integer as a string such as \"42\", found {json.ValueKind} {json.GetRawText()}.");

    private static string ReadString(JsonElement json, string where) =>
        json.ValueKind == JsonValueKind.String ? json.GetString()! : throw new FormatException($"{where}: expected a string, found {json.ValueKind}.");

    private static byte[] ReadBytes(JsonElement json, string where) =>
        json.ValueKind == JsonValueKind.String && json.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw new FormatException($"{where}: expected base64 text, found {json.GetRawText()}.");

    private static DocumentPath ReadPath(string text, string where)
    {
        try
        {
            return DocumentPath.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{where}: '{text}' is not a document path: {e.Message}", e);
        }
    }

    private static GeoPoint ReadGeoPoint(JsonElement json, string where) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("latitude", out var latitude) && json.TryGetProperty("longitude", out var longitude)
            ? new GeoPoint(ReadDouble(latitude, $"{where}.latitude"), ReadDouble(longitude, $"{where}.longitude"))
            : throw new FormatException($"{where}: expected {{\"latitude\":..., \"longitude\":...}}.");
}
