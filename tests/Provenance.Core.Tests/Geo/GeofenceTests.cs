using Provenance.Core.Geo;

namespace Provenance.Core.Tests.Geo;

public sealed class GeofenceTests
{
    private static readonly GeoPoint Paris = new(48.8566, 2.3522);
    private static readonly GeoPoint London = new(51.5074, -0.1278);

    [Fact]
    public void Paris_to_London_is_about_343_and_a_half_km()
    {
        Assert.Equal(343_500, Paris.DistanceToMeters(London), tolerance: 500);
        Assert.Equal(Paris.DistanceToMeters(London), London.DistanceToMeters(Paris), tolerance: 1e-6);
        Assert.Equal(0, Paris.DistanceToMeters(Paris));
    }

    [Fact]
    public void One_degree_of_latitude_is_about_111_km_and_antipodes_are_half_the_circumference()
    {
        Assert.Equal(111_195, new GeoPoint(0, 0).DistanceToMeters(new GeoPoint(1, 0)), tolerance: 1);
        Assert.Equal(Math.PI * GeoPoint.MeanEarthRadiusMeters, new GeoPoint(0, 0).DistanceToMeters(new GeoPoint(0, 180)), tolerance: 1e-3);
    }

    [Fact]
    public void Out_of_range_coordinates_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoPoint(90.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoPoint(0, -180.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoPoint(double.NaN, 0));
    }

    [Fact]
    public void A_circular_fence_contains_points_within_its_radius()
    {
        var site = new CircularGeofence(new GeoPoint(44.0688, -121.3141), 100);

        Assert.True(site.Contains(new GeoPoint(44.0688, -121.3141)));
        Assert.True(site.Contains(new GeoPoint(44.0696, -121.3141)));
        Assert.False(site.Contains(new GeoPoint(44.0698, -121.3141)));
        Assert.Equal(111.2, site.DistanceToMeters(new GeoPoint(44.0698, -121.3141)), tolerance: 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircularGeofence(Paris, 0));
    }

    [Fact]
    public void A_polygon_fence_contains_inside_points_and_its_boundary_but_not_outside_points()
    {
        var site = new PolygonGeofence([new(0, 0), new(0, 2), new(2, 2), new(2, 0)]);

        Assert.True(site.Contains(new GeoPoint(1, 1)));
        Assert.False(site.Contains(new GeoPoint(3, 1)));
        Assert.False(site.Contains(new GeoPoint(1, -0.0001)));
        Assert.True(site.Contains(new GeoPoint(0, 1)));
        Assert.True(site.Contains(new GeoPoint(2, 2)));
        Assert.Equal(new GeoPoint(1, 1), site.Centroid);
        Assert.Equal(0, site.DistanceToMeters(new GeoPoint(1, 1)));
    }

    [Fact]
    public void A_concave_polygon_excludes_its_notch()
    {
        // A "U": the notch between the arms is outside.
        var fence = new PolygonGeofence([new(0, 0), new(0, 3), new(3, 3), new(3, 2), new(1, 2), new(1, 1), new(3, 1), new(3, 0)]);

        Assert.True(fence.Contains(new GeoPoint(0.5, 1.5)));
        Assert.True(fence.Contains(new GeoPoint(2, 0.5)));
        Assert.False(fence.Contains(new GeoPoint(2, 1.5)));
    }

    [Fact]
    public void A_closed_ring_is_accepted_and_fewer_than_three_vertices_are_refused()
    {
        var closed = new PolygonGeofence([new(0, 0), new(0, 1), new(1, 1), new(0, 0)]);

        Assert.Equal(3, closed.Vertices.Count);
        Assert.Throws<ArgumentException>(() => new PolygonGeofence([new(0, 0), new(0, 1)]));
        Assert.Throws<ArgumentException>(() => new PolygonGeofence([new(0, 0), new(0, 1), new(0, 0)]));
    }
}
