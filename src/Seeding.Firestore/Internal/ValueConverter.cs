using Google.Protobuf;
using Seeding.Values;
using Proto = Seeding.Firestore.Protocol;
using WellKnown = Google.Protobuf.WellKnownTypes;

namespace Seeding.Firestore.Internal;

/// <summary>
/// Converts between Seeding's <see cref="Value"/> and Firestore's wire <see cref="Proto.Value"/>, exactly:
/// int64 stays int64, doubles keep NaN and infinities, timestamps keep microseconds, references become
/// full resource names. Server-time placeholders never reach this class: <see cref="WriteBuilder"/> turns
/// them into field transforms first.
/// </summary>
internal sealed class ValueConverter
{
    private readonly ResourceNames _names;

    public ValueConverter(ResourceNames names) => _names = names;

    public Proto.Value ToProto(Value value) => value.Kind switch
    {
        ValueKind.Null => new Proto.Value { NullValue = WellKnown.NullValue.NullValue },
        ValueKind.Boolean => new Proto.Value { BooleanValue = value.AsBoolean() },
        ValueKind.Integer => new Proto.Value { IntegerValue = value.AsInteger() },
        ValueKind.Double => new Proto.Value { DoubleValue = value.AsDouble() },
        ValueKind.Timestamp => new Proto.Value { TimestampValue = ToProto(value.AsTimestamp()) },
        ValueKind.String => new Proto.Value { StringValue = value.AsString() },
        ValueKind.Bytes => new Proto.Value { BytesValue = ByteString.CopyFrom(value.AsBytes().Span) },
        ValueKind.Reference => new Proto.Value { ReferenceValue = _names.DocumentName(value.AsReference()) },
        ValueKind.GeoPoint => new Proto.Value
        {
            GeoPointValue = new Google.Type.LatLng { Latitude = value.AsGeoPoint().Latitude, Longitude = value.AsGeoPoint().Longitude },
        },
        ValueKind.Array => new Proto.Value { ArrayValue = ToArray(value.AsArray()) },
        ValueKind.Map => new Proto.Value { MapValue = ToMap(value.AsMap()) },
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "Unknown value kind."),
    };

    public Proto.ArrayValue ToArray(IEnumerable<Value> items)
    {
        var array = new Proto.ArrayValue();
        array.Values.AddRange(items.Select(ToProto));
        return array;
    }

    public Proto.MapValue ToMap(IReadOnlyDictionary<string, Value> fields)
    {
        var map = new Proto.MapValue();
        foreach (var (key, value) in fields)
        {
            map.Fields[key] = ToProto(value);
        }

        return map;
    }

    public Value FromProto(Proto.Value value) => value.ValueTypeCase switch
    {
        Proto.Value.ValueTypeOneofCase.NullValue => Value.Null,
        Proto.Value.ValueTypeOneofCase.BooleanValue => Value.Boolean(value.BooleanValue),
        Proto.Value.ValueTypeOneofCase.IntegerValue => Value.Integer(value.IntegerValue),
        // Firestore has one NaN; its servers send the canonical bit pattern, which differs from .NET's double.NaN.
        Proto.Value.ValueTypeOneofCase.DoubleValue => Value.Double(double.IsNaN(value.DoubleValue) ? double.NaN : value.DoubleValue),
        Proto.Value.ValueTypeOneofCase.TimestampValue => Value.Timestamp(FromProto(value.TimestampValue)),
        Proto.Value.ValueTypeOneofCase.StringValue => Value.String(value.StringValue),
        Proto.Value.ValueTypeOneofCase.BytesValue => Value.Bytes(value.BytesValue.Span),
        Proto.Value.ValueTypeOneofCase.ReferenceValue => Value.Reference(_names.ToPath(value.ReferenceValue)),
        Proto.Value.ValueTypeOneofCase.GeoPointValue => Value.GeoPoint(new GeoPoint(value.GeoPointValue.Latitude, value.GeoPointValue.Longitude)),
        Proto.Value.ValueTypeOneofCase.ArrayValue => Value.OwnArray(FromArray(value.ArrayValue.Values)),
        Proto.Value.ValueTypeOneofCase.MapValue => Value.OwnMap(FromFields(value.MapValue.Fields)),
        // Newer Firestore value kinds (e.g. vectors are maps; others may come) that Seeding cannot model.
        _ => throw new InvalidDataException($"Firestore returned a value of kind {value.ValueTypeCase}, which Seeding does not model."),
    };

    private Value[] FromArray(Google.Protobuf.Collections.RepeatedField<Proto.Value> values)
    {
        var items = new Value[values.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = FromProto(values[i]);
        }

        return items;
    }

    public Dictionary<string, Value> FromFields(IDictionary<string, Proto.Value> fields)
    {
        var result = new Dictionary<string, Value>(fields.Count, StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            result[_fieldNames.Share(key)] = FromProto(value);
        }

        return result;
    }

    // The documents of a read share their field names: each answer's parse makes new strings for them, which would live
    // as long as the snapshots (read ahead of a diff's comparison, long enough to be promoted by the garbage collector).
    private readonly FieldNames _fieldNames = new();

    /// <summary>
    /// A small cache of field names, safe to share between threads without a lock: a slot holds one string, and a race
    /// only costs a miss (a reference is written and read whole). Equal names are returned as one instance.
    /// </summary>
    private sealed class FieldNames
    {
        private readonly string?[] _slots = new string?[256];

        public string Share(string name)
        {
            var slot = (name.GetHashCode() & int.MaxValue) % _slots.Length;
            var cached = Volatile.Read(ref _slots[slot]);
            if (cached is not null && string.Equals(cached, name, StringComparison.Ordinal))
            {
                return cached;
            }

            Volatile.Write(ref _slots[slot], name);
            return name;
        }
    }

    public static WellKnown.Timestamp ToProto(Timestamp timestamp)
    {
        var micros = timestamp.UnixMicroseconds;
        // Floor division keeps nanos in [0, 1e9) for instants before 1970, as the protobuf Timestamp requires.
        var seconds = Math.DivRem(micros, 1_000_000L, out var rem);
        if (rem < 0)
        {
            seconds--;
            rem += 1_000_000L;
        }

        return new WellKnown.Timestamp { Seconds = seconds, Nanos = (int)(rem * 1000) };
    }

    /// <summary>Converts a wire timestamp, truncating to the microseconds Firestore keeps.</summary>
    public static Timestamp FromProto(WellKnown.Timestamp timestamp) =>
        Timestamp.FromUnixMicroseconds((timestamp.Seconds * 1_000_000L) + (timestamp.Nanos / 1000));
}
