namespace Provenance.Core.Geo;

/// <summary>
/// A geofence bounded by a simple polygon whose vertices are given in order (either direction; the closing edge
/// is implied). Containment uses ray casting on latitude/longitude as planar coordinates, which is accurate for
/// site-sized fences. Not supported: polygons that cross the antimeridian (±180°) or contain a pole; split such
/// an area into two fences. Immutable.
/// </summary>
public sealed class PolygonGeofence : IGeofence
{
    private readonly GeoPoint[] _vertices;

    /// <summary>Creates the fence; at least three vertices are required.</summary>
    public PolygonGeofence(IEnumerable<GeoPoint> vertices)
    {
        ArgumentNullException.ThrowIfNull(vertices);
        _vertices = [.. vertices];
        if (_vertices.Length > 1 && _vertices[0] == _vertices[^1])
        {
            _vertices = _vertices[..^1];
        }

        if (_vertices.Length < 3)
        {
            throw new ArgumentException("A polygon geofence needs at least three distinct vertices.", nameof(vertices));
        }

        Centroid = new GeoPoint(_vertices.Average(v => v.Latitude), _vertices.Average(v => v.Longitude));
    }

    /// <summary>The vertices, without a repeated closing vertex.</summary>
    public IReadOnlyList<GeoPoint> Vertices => _vertices;

    /// <summary>The average of the vertices, used as the reference point for <see cref="DistanceToMeters"/>.</summary>
    public GeoPoint Centroid { get; }

    /// <inheritdoc />
    public bool Contains(GeoPoint point)
    {
        var x = point.Longitude;
        var y = point.Latitude;
        var inside = false;
        for (int i = 0, j = _vertices.Length - 1; i < _vertices.Length; j = i++)
        {
            double xi = _vertices[i].Longitude, yi = _vertices[i].Latitude;
            double xj = _vertices[j].Longitude, yj = _vertices[j].Latitude;
            if (OnSegment(x, y, xi, yi, xj, yj))
            {
                return true;
            }

            if ((yi > y) != (yj > y) && x < ((xj - xi) * (y - yi) / (yj - yi)) + xi)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <inheritdoc />
    public double DistanceToMeters(GeoPoint point) => Centroid.DistanceToMeters(point);

    private static bool OnSegment(double x, double y, double x1, double y1, double x2, double y2)
    {
        const double Tolerance = 1e-12;
        var cross = ((x - x1) * (y2 - y1)) - ((y - y1) * (x2 - x1));
        return Math.Abs(cross) <= Tolerance
            && x >= Math.Min(x1, x2) - Tolerance && x <= Math.Max(x1, x2) + Tolerance
            && y >= Math.Min(y1, y2) - Tolerance && y <= Math.Max(y1, y2) + Tolerance;
    }
}
