namespace Seeding.Values;

/// <summary>The kinds of value a Firestore document field can hold, in Firestore's own type order.</summary>
public enum ValueKind
{
    /// <summary>The null value.</summary>
    Null,
    /// <summary>A boolean.</summary>
    Boolean,
    /// <summary>A 64-bit signed integer.</summary>
    Integer,
    /// <summary>A 64-bit IEEE 754 floating point number (NaN and infinities included).</summary>
    Double,
    /// <summary>A point in time with microsecond precision, or the server's commit time.</summary>
    Timestamp,
    /// <summary>A UTF-8 string.</summary>
    String,
    /// <summary>A byte sequence.</summary>
    Bytes,
    /// <summary>A reference to another document.</summary>
    Reference,
    /// <summary>A latitude/longitude pair.</summary>
    GeoPoint,
    /// <summary>An ordered list of values (arrays cannot directly contain arrays).</summary>
    Array,
    /// <summary>A map from field names to values.</summary>
    Map,
}
