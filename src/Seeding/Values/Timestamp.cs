using System.Globalization;

namespace Seeding.Values;

/// <summary>
/// A point in time with the microsecond precision Firestore keeps, or <see cref="ServerTime"/>: the
/// placeholder for "the time the store applies this write" (YAML <c>!now</c>).
/// </summary>
public readonly struct Timestamp : IEquatable<Timestamp>, IComparable<Timestamp>, IComparable
{
    private static readonly long MinMicros = ToMicros(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static readonly long MaxMicros = ToMicros(new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero).AddTicks(9990));

    private readonly long _unixMicros;
    private readonly bool _isServerTime;

    private Timestamp(long unixMicros, bool isServerTime)
    {
        _unixMicros = unixMicros;
        _isServerTime = isServerTime;
    }

    /// <summary>The store's commit time, resolved when the write is applied (YAML <c>!now</c>).</summary>
    public static Timestamp ServerTime { get; } = new(0, true);

    /// <summary>True when this is the <see cref="ServerTime"/> placeholder rather than a fixed instant.</summary>
    public bool IsServerTime => _isServerTime;

    /// <summary>Microseconds since 1970-01-01T00:00:00Z. Throws for <see cref="ServerTime"/>.</summary>
    public long UnixMicroseconds => _isServerTime
        ? throw new InvalidOperationException("The server-time placeholder has no value until a store applies the write.")
        : _unixMicros;

    /// <summary>Creates a timestamp from microseconds since the Unix epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside Firestore's range (years 1 to 9999).</exception>
    public static Timestamp FromUnixMicroseconds(long micros)
    {
        if (micros < MinMicros || micros > MaxMicros)
        {
            throw new ArgumentOutOfRangeException(nameof(micros), micros, "Firestore timestamps range from 0001-01-01 to 9999-12-31.");
        }

        return new Timestamp(micros, false);
    }

    /// <summary>Creates a timestamp from a <see cref="DateTimeOffset"/>, truncated to whole microseconds.</summary>
    public static Timestamp FromDateTimeOffset(DateTimeOffset value) => FromUnixMicroseconds(ToMicros(value));

    /// <summary>Parses an RFC 3339 timestamp such as <c>2024-05-01T12:00:00Z</c> (an offset is required).</summary>
    /// <exception cref="FormatException">The text is not an RFC 3339 timestamp with an offset.</exception>
    public static Timestamp Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var value))
        {
            throw new FormatException($"'{text}' is not an RFC 3339 timestamp with an offset, such as 2024-05-01T12:00:00Z.");
        }

        return value;
    }

    /// <summary>Tries to parse an RFC 3339 timestamp with an explicit offset (<c>Z</c> or <c>+hh:mm</c>).</summary>
    public static bool TryParse(string? text, out Timestamp value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || !Rfc3339.TryParseUnixMicroseconds(text.Trim(), out var micros))
        {
            return false;
        }

        value = FromUnixMicroseconds(micros);
        return true;
    }

    /// <summary>The instant as a UTC <see cref="DateTimeOffset"/>. Throws for <see cref="ServerTime"/>.</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddTicks(UnixMicroseconds * (TimeSpan.TicksPerMillisecond / 1000));

    /// <summary>Converts a <see cref="DateTimeOffset"/> (truncated to microseconds).</summary>
    public static implicit operator Timestamp(DateTimeOffset value) => FromDateTimeOffset(value);

    /// <inheritdoc />
    public bool Equals(Timestamp other) => _isServerTime == other._isServerTime && _unixMicros == other._unixMicros;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Timestamp other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_unixMicros, _isServerTime);

    /// <summary>Orders instants; the server-time placeholder sorts after every instant.</summary>
    public int CompareTo(Timestamp other) =>
        _isServerTime != other._isServerTime ? (_isServerTime ? 1 : -1) : _unixMicros.CompareTo(other._unixMicros);

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Timestamp other => CompareTo(other),
        _ => throw new ArgumentException("A Timestamp compares only with a Timestamp.", nameof(obj)),
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(Timestamp left, Timestamp right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Timestamp left, Timestamp right) => !left.Equals(right);

    /// <summary>Earlier than.</summary>
    public static bool operator <(Timestamp left, Timestamp right) => left.CompareTo(right) < 0;

    /// <summary>Later than.</summary>
    public static bool operator >(Timestamp left, Timestamp right) => left.CompareTo(right) > 0;

    /// <summary>Earlier than or equal.</summary>
    public static bool operator <=(Timestamp left, Timestamp right) => left.CompareTo(right) <= 0;

    /// <summary>Later than or equal.</summary>
    public static bool operator >=(Timestamp left, Timestamp right) => left.CompareTo(right) >= 0;

    /// <summary>RFC 3339 with microseconds (<c>2024-05-01T12:00:00.000000Z</c>), or <c>!now</c> for server time.</summary>
    public override string ToString() => _isServerTime
        ? "!now"
        : ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    // Floor, not truncation toward zero: an instant before 1970 must not move later.
    private static long ToMicros(DateTimeOffset value)
    {
        var (micros, remainder) = Math.DivRem(value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.TicksPerMillisecond / 1000);
        return remainder < 0 ? micros - 1 : micros;
    }
}
