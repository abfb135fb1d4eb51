using Provenance.Core.Geo;

namespace Provenance.Core.Registry;

/// <summary>A bottling plant: its reference point and its geofence, a circle (<see cref="RadiusMeters"/>) or a polygon.</summary>
public sealed record Site(string Id, string Name, GeoPoint Center, double? RadiusMeters, IReadOnlyList<GeoPoint>? Polygon)
{
    /// <summary>The geofence a fix must fall in for the origin to be attested.</summary>
    public IGeofence Geofence() =>
        Polygon is { Count: >= 3 }
            ? new PolygonGeofence(Polygon)
            : new CircularGeofence(Center, RadiusMeters ?? throw new InvalidOperationException($"site {Id} has neither a radius nor a polygon"));
}
