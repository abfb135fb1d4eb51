using Provenance.Core.Geo;

namespace Provenance.Core.Verdicts;

/// <summary>
/// Where a scan happened, as well as it is known: a point (with its uncertainty radius in metres) and/or ISO 3166
/// codes (country alpha-2, subdivision 3166-2 such as <c>CN-GD</c>, Guangdong). Immutable.
/// </summary>
public sealed record ScanLocation(LocationSource Source, GeoPoint? Point = null, double? AccuracyMeters = null, string? Country = null, string? Subdivision = null)
{
    /// <summary>No location at all.</summary>
    public static ScanLocation None { get; } = new(LocationSource.None);

    /// <summary>True when there is a point or a country to reason about.</summary>
    public bool IsKnown => Source != LocationSource.None && (Point is not null || Country is not null);

    /// <summary>The same location with its point rounded to two decimals (about 1 km), as stored for consumers.</summary>
    public ScanLocation Coarsened() => Point is { } p
        ? this with { Point = new GeoPoint(Math.Round(p.Latitude, 2), Math.Round(p.Longitude, 2)), AccuracyMeters = Math.Max(AccuracyMeters ?? 0, 1_000) }
        : this;
}
