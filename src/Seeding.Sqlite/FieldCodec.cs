using System.Text;
using Seeding.Documents;
using Seeding.Values;

namespace Seeding.Sqlite;

/// <summary>
/// The compact, lossless binary encoding of a document's fields (format 1).
/// </summary>
/// <remarks>
/// <para>A document is <c>0x01</c> (the format), a varint field count, then the fields sorted by key (UTF-16
/// ordinal, so the encoding of equal documents is byte-identical): varint key length, UTF-8 key, value.</para>
/// <para>A value is a tag byte and a payload: null/false/true (no payload); integer (zigzag varint); double
/// (8 bytes little-endian, the raw IEEE bits: NaN payloads and -0.0 survive); timestamp (zigzag varint of
/// microseconds since the Unix epoch); string, reference path (varint length + UTF-8); bytes (varint length + raw);
/// geo point (two raw doubles); array and map (a 4-byte little-endian byte length of the body, so a reader can skip
/// the container without parsing it, then a varint count and the items or key/value entries).</para>
/// <para>Strings must be valid Unicode: a lone surrogate cannot be stored as UTF-8 (Firestore rejects it too), and
/// encoding it throws rather than silently replacing it.</para>
/// </remarks>
internal static class FieldCodec
{
    /// <summary>The format byte written first.</summary>
    public const byte Format = 1;

    private const byte TagNull = 0;
    private const byte TagFalse = 1;
    private const byte TagTrue = 2;
    private const byte TagInteger = 3;
    private const byte TagDouble = 4;
    private const byte TagTimestamp = 5;
    private const byte TagString = 6;
    private const byte TagBytes = 7;
    private const byte TagReference = 8;
    private const byte TagGeoPoint = 9;
    private const byte TagArray = 10;
    private const byte TagMap = 11;

    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes a document's fields. Server-time placeholders must already be resolved.</summary>
    /// <exception cref="ArgumentException">A string or key is not valid Unicode, or a placeholder is left.</exception>
    public static byte[] Encode(IReadOnlyDictionary<string, Value> fields)
    {
        var writer = new CodecWriter(256);
        writer.Byte(Format);
        WriteEntries(ref writer, fields, string.Empty);
        return writer.ToArray();
    }

    /// <summary>Decodes a whole document.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a document in a known format.</exception>
    public static Dictionary<string, Value> Decode(ReadOnlySpan<byte> data)
    {
        var reader = new CodecReader(data);
        ReadFormat(ref reader);
        var count = reader.Count();
        var fields = new Dictionary<string, Value>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = reader.Utf8();
            fields[key] = ReadValue(ref reader, depth: 0);
        }

        reader.ExpectEnd();
        return fields;
    }

    /// <summary>
    /// Decodes only the named top-level fields, skipping the others without decoding them; fields not present
    /// are absent from the result.
    /// </summary>
    public static Dictionary<string, Value> DecodeFields(ReadOnlySpan<byte> data, IReadOnlyCollection<string> names)
    {
        var reader = new CodecReader(data);
        ReadFormat(ref reader);
        var count = reader.Count();
        var found = new Dictionary<string, Value>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < count && found.Count < names.Count; i++)
        {
            var key = reader.Utf8();
            if (names.Contains(key))
            {
                found[key] = ReadValue(ref reader, depth: 0);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return found;
    }

    private static void ReadFormat(ref CodecReader reader)
    {
        var format = reader.Byte();
        if (format != Format)
        {
            throw new InvalidDataException($"Stored document has encoding format {format}; this version of Seeding reads format {Format}. Upgrade Seeding.");
        }
    }

    private static void WriteEntries(ref CodecWriter writer, IReadOnlyDictionary<string, Value> fields, string parent)
    {
        writer.VarUInt((ulong)fields.Count);
        foreach (var (key, value) in fields.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = parent.Length == 0 ? key : parent + "." + key;
            WriteUtf8(ref writer, key, path, "field name");
            WriteValue(ref writer, value, path);
        }
    }

    private static void WriteValue(ref CodecWriter writer, Value value, string path)
    {
        switch (value.Kind)
        {
            case ValueKind.Null:
                writer.Byte(TagNull);
                break;
            case ValueKind.Boolean:
                writer.Byte(value.AsBoolean() ? TagTrue : TagFalse);
                break;
            case ValueKind.Integer:
                writer.Byte(TagInteger);
                writer.VarInt(value.AsInteger());
                break;
            case ValueKind.Double:
                writer.Byte(TagDouble);
                writer.Double(value.AsDouble());
                break;
            case ValueKind.Timestamp:
                var timestamp = value.AsTimestamp();
                if (timestamp.IsServerTime)
                {
                    throw new ArgumentException($"Field '{path}' still holds the server-time placeholder; the store resolves it before encoding.");
                }

                writer.Byte(TagTimestamp);
                writer.VarInt(timestamp.UnixMicroseconds);
                break;
            case ValueKind.String:
                writer.Byte(TagString);
                WriteUtf8(ref writer, value.AsString(), path, "string");
                break;
            case ValueKind.Bytes:
                writer.Byte(TagBytes);
                var bytes = value.AsBytes().Span;
                writer.VarUInt((ulong)bytes.Length);
                writer.Span(bytes);
                break;
            case ValueKind.Reference:
                writer.Byte(TagReference);
                WriteUtf8(ref writer, value.AsReference().ToString(), path, "reference");
                break;
            case ValueKind.GeoPoint:
                writer.Byte(TagGeoPoint);
                var point = value.AsGeoPoint();
                writer.Double(point.Latitude);
                writer.Double(point.Longitude);
                break;
            case ValueKind.Array:
                writer.Byte(TagArray);
                var arrayLength = writer.ReserveLength();
                var items = value.AsArray();
                writer.VarUInt((ulong)items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    WriteValue(ref writer, items[i], $"{path}[{i}]");
                }

                writer.PatchLength(arrayLength);
                break;
            case ValueKind.Map:
                writer.Byte(TagMap);
                var mapLength = writer.ReserveLength();
                WriteEntries(ref writer, value.AsMap(), path);
                writer.PatchLength(mapLength);
                break;
            default:
                throw new ArgumentException($"Field '{path}' has an unknown value kind {value.Kind}.");
        }
    }

    private static void WriteUtf8(ref CodecWriter writer, string text, string path, string what)
    {
        int count;
        try
        {
            count = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"The {what} at '{path}' is not valid Unicode (it holds a lone UTF-16 surrogate) and cannot be stored as UTF-8.", ex);
        }

        writer.VarUInt((ulong)count);
        StrictUtf8.GetBytes(text, writer.Take(count));
    }

    private static Value ReadValue(ref CodecReader reader, int depth)
    {
        if (depth > 100)
        {
            throw reader.Corrupt("values nest too deeply");
        }

        var tag = reader.Byte();
        switch (tag)
        {
            case TagNull:
                return Value.Null;
            case TagFalse:
                return Value.Boolean(false);
            case TagTrue:
                return Value.Boolean(true);
            case TagInteger:
                return Value.Integer(reader.VarInt());
            case TagDouble:
                return Value.Double(reader.Double());
            case TagTimestamp:
                return Value.Timestamp(Timestamp.FromUnixMicroseconds(reader.VarInt()));
            case TagString:
                return Value.String(reader.Utf8());
            case TagBytes:
                return Value.Bytes(reader.Take(reader.Count()));
            case TagReference:
                return Value.Reference(DocumentPath.Parse(reader.Utf8()));
            case TagGeoPoint:
                var latitude = reader.Double();
                return Value.GeoPoint(new GeoPoint(latitude, reader.Double()));
            case TagArray:
            {
                var end = reader.ContainerEnd();
                var count = reader.Count();
                var items = new Value[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = ReadValue(ref reader, depth + 1);
                }

                reader.ExpectPosition(end);
                return Value.OwnArray(items);
            }

            case TagMap:
            {
                var end = reader.ContainerEnd();
                var count = reader.Count();
                var entries = new Dictionary<string, Value>(count, StringComparer.Ordinal);
                for (var i = 0; i < count; i++)
                {
                    var key = reader.Utf8();
                    if (!entries.TryAdd(key, ReadValue(ref reader, depth + 1)))
                    {
                        throw reader.Corrupt($"map key '{key}' appears twice");
                    }
                }

                reader.ExpectPosition(end);
                return Value.OwnMap(entries);
            }

            default:
                throw reader.Corrupt($"unknown value tag {tag}");
        }
    }

    private static void SkipValue(ref CodecReader reader)
    {
        var tag = reader.Byte();
        switch (tag)
        {
            case TagNull or TagFalse or TagTrue:
                break;
            case TagInteger or TagTimestamp:
                reader.VarInt();
                break;
            case TagDouble:
                reader.Take(8);
                break;
            case TagGeoPoint:
                reader.Take(16);
                break;
            case TagString or TagBytes or TagReference:
                reader.Take(reader.Count());
                break;
            case TagArray or TagMap:
                reader.Seek(reader.ContainerEnd());
                break;
            default:
                throw reader.Corrupt($"unknown value tag {tag}");
        }
    }
}
