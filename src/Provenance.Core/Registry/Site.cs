using Provenance.Core.Geo;

namespace Provenance.Core.Registry;

/// <summary>A bottling plant: its reference point and its geofence, a circle (<see cref="RadiusMeters"/>) or a polygon.</summary>
public sealed record Site(string Id, string Name, GeoPoint Center, double? RadiusMeters, IReadOnlyList<GeoPoint>? Polygon)
{
    private const double MetresPerDegreeLatitude = 111_320;

    /// <summary>The geofence a fix must fall in for the origin to be attested.</summary>
    public IGeofence Geofence() =>
        Polygon is { Count: >= 3 }
            ? new PolygonGeofence(Polygon)
            : new CircularGeofence(Center, RadiusMeters ?? throw new InvalidOperationException($"site {Id} has neither a radius nor a polygon"));

    /// <summary>
    /// How far <paramref name="point"/> lies outside the geofence, in metres (0 inside): beyond the circle's edge, or to
    /// the nearest polygon edge on a local plane about the point (exact enough for plant-sized fences).
    /// </summary>
    public double MetresOutside(GeoPoint point)
    {
        if (Geofence().Contains(point))
        {
            return 0;
        }

        if (Polygon is not { Count: >= 3 } polygon)
        {
            return Math.Max(0, Center.DistanceToMeters(point) - (RadiusMeters ?? 0));
        }

        var cosLat = Math.Cos(point.Latitude * Math.PI / 180);
        (double X, double Y) Plane(GeoPoint p) => ((p.Longitude - point.Longitude) * MetresPerDegreeLatitude * cosLat, (p.Latitude - point.Latitude) * MetresPerDegreeLatitude);
        var nearest = double.MaxValue;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var (ax, ay) = Plane(polygon[j]);
            var (bx, by) = Plane(polygon[i]);
            var (dx, dy) = (bx - ax, by - ay);
            var length = (dx * dx) + (dy * dy);
            var t = length == 0 ? 0 : Math.Clamp(-((ax * dx) + (ay * dy)) / length, 0, 1);
            var (cx, cy) = (ax + (t * dx), ay + (t * dy));
            nearest = Math.Min(nearest, Math.Sqrt((cx * cx) + (cy * cy)));
        }

        return nearest;
    }
}
