namespace Provenance.Core.Geo;

/// <summary>A point on the Earth in WGS 84 decimal degrees (north and east positive). Immutable.</summary>
public readonly record struct GeoPoint
{
    /// <summary>The mean Earth radius (IUGG R1) used for great-circle distances, in metres.</summary>
    public const double MeanEarthRadiusMeters = 6_371_008.8;

    /// <summary>Creates a point; latitude must be in [-90, 90] and longitude in [-180, 180].</summary>
    public GeoPoint(double latitude, double longitude)
    {
        if (!(latitude is >= -90 and <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "Latitude must be between -90 and 90 degrees.");
        }

        if (!(longitude is >= -180 and <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "Longitude must be between -180 and 180 degrees.");
        }

        Latitude = latitude;
        Longitude = longitude;
    }

    /// <summary>Latitude in decimal degrees.</summary>
    public double Latitude { get; }

    /// <summary>Longitude in decimal degrees.</summary>
    public double Longitude { get; }

    /// <summary>
    /// The great-circle distance to <paramref name="other"/> in metres (haversine on a sphere of
    /// <see cref="MeanEarthRadiusMeters"/>; within about 0.5% of the ellipsoidal distance).
    /// </summary>
    public double DistanceToMeters(GeoPoint other)
    {
        var phi1 = ToRadians(Latitude);
        var phi2 = ToRadians(other.Latitude);
        var dPhi = phi2 - phi1;
        var dLambda = ToRadians(other.Longitude - Longitude);
        var sinPhi = Math.Sin(dPhi / 2);
        var sinLambda = Math.Sin(dLambda / 2);
        var a = (sinPhi * sinPhi) + (Math.Cos(phi1) * Math.Cos(phi2) * sinLambda * sinLambda);
        return 2 * MeanEarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static double ToRadians(double degrees) => degrees * (Math.PI / 180);
}
