namespace Provenance.Core.Geo;

/// <summary>An area on the Earth that a position is inside or outside of, e.g. a bottling plant's site.</summary>
public interface IGeofence
{
    /// <summary>Whether <paramref name="point"/> is inside the fence (a point on the boundary counts as inside).</summary>
    bool Contains(GeoPoint point);

    /// <summary>The distance from <paramref name="point"/> to the fence's reference point (a circle's centre, a polygon's vertex centroid), in metres.</summary>
    double DistanceToMeters(GeoPoint point);
}
