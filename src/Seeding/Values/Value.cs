using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using Seeding.Documents;

namespace Seeding.Values;

/// <summary>
/// An immutable Firestore value: null, boolean, integer, double, timestamp, string, bytes, reference,
/// geo point, array or map. Equality is structural (maps ignore key order; doubles compare by bits, so
/// NaN equals NaN).
/// </summary>
public sealed class Value : IEquatable<Value>
{
    private static readonly IReadOnlyDictionary<string, Value> EmptyMap =
        new ReadOnlyDictionary<string, Value>(new Dictionary<string, Value>(StringComparer.Ordinal));

    private readonly object? _payload;

    private Value(ValueKind kind, object? payload)
    {
        Kind = kind;
        _payload = payload;
    }

    /// <summary>The value's kind.</summary>
    public ValueKind Kind { get; }

    /// <summary>The null value.</summary>
    public static Value Null { get; } = new(ValueKind.Null, null);

    /// <summary>The store's commit time (YAML <c>!now</c>), resolved when the write is applied.</summary>
    public static Value ServerTimestamp { get; } = new(ValueKind.Timestamp, Values.Timestamp.ServerTime);

    private static readonly Value TrueValue = new(ValueKind.Boolean, true);
    private static readonly Value FalseValue = new(ValueKind.Boolean, false);

    /// <summary>A boolean value.</summary>
    public static Value Boolean(bool value) => value ? TrueValue : FalseValue;

    /// <summary>A 64-bit integer value.</summary>
    public static Value Integer(long value) => new(ValueKind.Integer, value);

    /// <summary>A double value (NaN and infinities allowed).</summary>
    public static Value Double(double value) => new(ValueKind.Double, value);

    /// <summary>A timestamp value, or the server-time placeholder.</summary>
    public static Value Timestamp(Timestamp value) => value.IsServerTime ? ServerTimestamp : new(ValueKind.Timestamp, value);

    /// <summary>A string value.</summary>
    public static Value String(string value) => new(ValueKind.String, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A bytes value (the array is copied).</summary>
    public static Value Bytes(ReadOnlySpan<byte> value) => new(ValueKind.Bytes, value.ToArray());

    /// <summary>A reference to a document.</summary>
    public static Value Reference(DocumentPath value) => new(ValueKind.Reference, value);

    /// <summary>A geo point value.</summary>
    public static Value GeoPoint(GeoPoint value) => new(ValueKind.GeoPoint, value);

    /// <summary>An array value (a copy of <paramref name="items"/>); no item may be a null reference (use <see cref="Null"/>).</summary>
    public static Value Array(IEnumerable<Value> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return OwnArray(items.ToArray());
    }

    /// <summary>An array value.</summary>
    public static Value Array(params Value[] items) => Array((IEnumerable<Value>)items);

    /// <summary>
    /// An array value over <paramref name="items"/> itself, not a copy: for decoders that build a fresh array per value
    /// (the compact seed data, the stores' codecs). The caller hands the array over and never touches it again.
    /// </summary>
    internal static Value OwnArray(Value[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            _ = item ?? throw new ArgumentException("An array item is a null Value; use Value.Null.", nameof(items));
        }

        return new(ValueKind.Array, new ReadOnlyCollection<Value>(items));
    }

    /// <summary>
    /// A map value over <paramref name="fields"/> itself, not a copy: for decoders that build a fresh dictionary per value.
    /// The dictionary must compare keys ordinally (as every map does); the caller hands it over and never touches it again.
    /// </summary>
    internal static Value OwnMap(Dictionary<string, Value> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (!ReferenceEquals(fields.Comparer, StringComparer.Ordinal))
        {
            throw new ArgumentException("A map's keys compare ordinally: build the dictionary with StringComparer.Ordinal.", nameof(fields));
        }

        foreach (var (key, value) in fields)
        {
            _ = value ?? throw new ArgumentException($"Field '{key}' has a null Value; use Value.Null.", nameof(fields));
        }

        return new(ValueKind.Map, fields.Count == 0 ? EmptyMap : new ReadOnlyDictionary<string, Value>(fields));
    }

    /// <summary>A map value; keys must be unique.</summary>
    public static Value Map(IEnumerable<KeyValuePair<string, Value>> fields)
    {
        var copy = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            if (!copy.TryAdd(key, value))
            {
                throw new ArgumentException($"Field '{key}' appears twice in one map.", nameof(fields));
            }
        }

        return OwnMap(copy); // the one check of the values and the one wrapping, shared with the decoders
    }

    /// <summary>True for <see cref="Null"/>.</summary>
    public bool IsNull => Kind == ValueKind.Null;

    /// <summary>The boolean; throws when the kind differs.</summary>
    public bool AsBoolean() => (bool)Expect(ValueKind.Boolean)!;

    /// <summary>The integer; throws when the kind differs.</summary>
    public long AsInteger() => (long)Expect(ValueKind.Integer)!;

    /// <summary>The double; integers widen. Throws for other kinds.</summary>
    public double AsDouble() => Kind == ValueKind.Integer ? (long)_payload! : (double)Expect(ValueKind.Double)!;

    /// <summary>The timestamp; throws when the kind differs.</summary>
    public Timestamp AsTimestamp() => (Timestamp)Expect(ValueKind.Timestamp)!;

    /// <summary>The string; throws when the kind differs.</summary>
    public string AsString() => (string)Expect(ValueKind.String)!;

    /// <summary>The bytes (read-only view); throws when the kind differs.</summary>
    public ReadOnlyMemory<byte> AsBytes() => (byte[])Expect(ValueKind.Bytes)!;

    /// <summary>The referenced document; throws when the kind differs.</summary>
    public DocumentPath AsReference() => (DocumentPath)Expect(ValueKind.Reference)!;

    /// <summary>The geo point; throws when the kind differs.</summary>
    public GeoPoint AsGeoPoint() => (GeoPoint)Expect(ValueKind.GeoPoint)!;

    /// <summary>The items; throws when the kind differs.</summary>
    public IReadOnlyList<Value> AsArray() => (IReadOnlyList<Value>)Expect(ValueKind.Array)!;

    /// <summary>The fields; throws when the kind differs.</summary>
    public IReadOnlyDictionary<string, Value> AsMap() => (IReadOnlyDictionary<string, Value>)Expect(ValueKind.Map)!;

    /// <summary>True when this value, or any value nested in it, is the server-time placeholder.</summary>
    public bool ContainsServerTimestamp() => Kind switch
    {
        ValueKind.Timestamp => AsTimestamp().IsServerTime,
        ValueKind.Array => AsArray().Any(v => v.ContainsServerTimestamp()),
        ValueKind.Map => AsMap().Values.Any(v => v.ContainsServerTimestamp()),
        _ => false,
    };

    /// <inheritdoc />
    public bool Equals(Value? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            ValueKind.Null => true,
            ValueKind.Double => BitConverter.DoubleToInt64Bits((double)_payload!) == BitConverter.DoubleToInt64Bits((double)other._payload!),
            ValueKind.Bytes => ((byte[])_payload!).AsSpan().SequenceEqual((byte[])other._payload!),
            ValueKind.Array => AsArray().SequenceEqual(other.AsArray()),
            ValueKind.Map => MapEquals(AsMap(), other.AsMap()),
            _ => Equals(_payload, other._payload),
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Value);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        switch (Kind)
        {
            case ValueKind.Null:
                break;
            case ValueKind.Double:
                hash.Add(BitConverter.DoubleToInt64Bits((double)_payload!));
                break;
            case ValueKind.Bytes:
                hash.AddBytes((byte[])_payload!);
                break;
            case ValueKind.Array:
                foreach (var item in AsArray())
                {
                    hash.Add(item);
                }

                break;
            case ValueKind.Map:
                hash.Add(AsMap().Count);
                break;
            default:
                hash.Add(_payload);
                break;
        }

        return hash.ToHashCode();
    }

    /// <summary>A compact, deterministic rendering (maps sorted by key) used in plans, logs and test messages.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Render(builder);
        return builder.ToString();
    }

    private void Render(StringBuilder builder)
    {
        switch (Kind)
        {
            case ValueKind.Null: builder.Append("null"); break;
            case ValueKind.Boolean: builder.Append(AsBoolean() ? "true" : "false"); break;
            case ValueKind.Integer: builder.Append(AsInteger().ToString(CultureInfo.InvariantCulture)); break;
            case ValueKind.Double: builder.Append(AsDouble().ToString("R", CultureInfo.InvariantCulture)); break;
            case ValueKind.Timestamp: builder.Append(AsTimestamp().ToString()); break;
            case ValueKind.String: builder.Append('"').Append(AsString().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"'); break;
            case ValueKind.Bytes: builder.Append("!bytes ").Append(Convert.ToBase64String(AsBytes().Span)); break;
            case ValueKind.Reference: builder.Append("!ref ").Append(AsReference()); break;
            case ValueKind.GeoPoint: builder.Append("!geo ").Append(AsGeoPoint()); break;
            case ValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in AsArray())
                {
                    builder.Append(first ? string.Empty : ", ");
                    item.Render(builder);
                    first = false;
                }

                builder.Append(']');
                break;
            case ValueKind.Map:
                builder.Append('{');
                var firstField = true;
                foreach (var (key, value) in AsMap().OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(firstField ? string.Empty : ", ").Append(key).Append(": ");
                    value.Render(builder);
                    firstField = false;
                }

                builder.Append('}');
                break;
        }
    }

    private object? Expect(ValueKind kind) => Kind == kind
        ? _payload
        : throw new InvalidCastException($"Expected a {kind} value but found {Kind} ({this}).");

    private static bool MapEquals(IReadOnlyDictionary<string, Value> left, IReadOnlyDictionary<string, Value> right) =>
        left.Count == right.Count && left.All(p => right.TryGetValue(p.Key, out var other) && p.Value.Equals(other));
}
