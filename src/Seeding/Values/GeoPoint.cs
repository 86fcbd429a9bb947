namespace Seeding.Values;

/// <summary>A latitude/longitude pair, as Firestore stores it.</summary>
/// <param name="Latitude">Degrees, from -90 to 90.</param>
/// <param name="Longitude">Degrees, from -180 to 180.</param>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{Latitude}, {Longitude}]");
}
