namespace Provenance.Core.Geo;

/// <summary>A geofence made of every point within <see cref="RadiusMeters"/> (great-circle) of <see cref="Center"/>. Immutable.</summary>
public sealed class CircularGeofence : IGeofence
{
    /// <summary>Creates the fence; the radius must be positive and finite.</summary>
    public CircularGeofence(GeoPoint center, double radiusMeters)
    {
        if (!(radiusMeters > 0) || double.IsInfinity(radiusMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(radiusMeters), radiusMeters, "The radius must be a positive number of metres.");
        }

        Center = center;
        RadiusMeters = radiusMeters;
    }

    /// <summary>The centre.</summary>
    public GeoPoint Center { get; }

    /// <summary>The radius in metres.</summary>
    public double RadiusMeters { get; }

    /// <inheritdoc />
    public bool Contains(GeoPoint point) => Center.DistanceToMeters(point) <= RadiusMeters;

    /// <inheritdoc />
    public double DistanceToMeters(GeoPoint point) => Center.DistanceToMeters(point);
}
