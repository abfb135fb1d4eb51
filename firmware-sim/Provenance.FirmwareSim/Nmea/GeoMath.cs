namespace Provenance.FirmwareSim.Nmea;

/// <summary>Spherical-earth helpers for placing simulated fixes (mean radius 6,371,008.8 m).</summary>
public static class GeoMath
{
    /// <summary>The mean earth radius in metres.</summary>
    public const double EarthRadiusMetres = 6_371_008.8;

    /// <summary>The point <paramref name="distanceMetres"/> from a start along a great circle with an initial bearing.</summary>
    public static (double Latitude, double Longitude) Destination(double latitude, double longitude, double bearingDegrees, double distanceMetres)
    {
        var φ1 = ToRadians(latitude);
        var λ1 = ToRadians(longitude);
        var θ = ToRadians(bearingDegrees);
        var δ = distanceMetres / EarthRadiusMetres;
        var φ2 = Math.Asin((Math.Sin(φ1) * Math.Cos(δ)) + (Math.Cos(φ1) * Math.Sin(δ) * Math.Cos(θ)));
        var λ2 = λ1 + Math.Atan2(Math.Sin(θ) * Math.Sin(δ) * Math.Cos(φ1), Math.Cos(δ) - (Math.Sin(φ1) * Math.Sin(φ2)));
        var lon = ((ToDegrees(λ2) + 540) % 360) - 180;
        return (ToDegrees(φ2), lon);
    }

    /// <summary>The great-circle distance in metres (haversine).</summary>
    public static double DistanceMetres(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        var dφ = ToRadians(latitude2 - latitude1);
        var dλ = ToRadians(longitude2 - longitude1);
        var a = (Math.Sin(dφ / 2) * Math.Sin(dφ / 2)) +
                (Math.Cos(ToRadians(latitude1)) * Math.Cos(ToRadians(latitude2)) * Math.Sin(dλ / 2) * Math.Sin(dλ / 2));
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>A small local offset: <paramref name="northMetres"/> and <paramref name="eastMetres"/> from a point.</summary>
    public static (double Latitude, double Longitude) Offset(double latitude, double longitude, double northMetres, double eastMetres)
    {
        var lat = latitude + ToDegrees(northMetres / EarthRadiusMetres);
        var lon = longitude + ToDegrees(eastMetres / (EarthRadiusMetres * Math.Cos(ToRadians(latitude))));
        return (lat, lon);
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;

    private static double ToDegrees(double radians) => radians * 180 / Math.PI;
}
