using System.ComponentModel.DataAnnotations;

namespace Provenance.Api.Analytics;

/// <summary>The producer analytics, configuration section <c>Analytics</c>.</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>
    /// The fewest scans a (day, cell, country) group must hold to be shown; smaller groups are only counted as
    /// suppressed, so that no one consumer's scan can be picked out on the map.
    /// </summary>
    [Range(2, 10_000)]
    public int MinimumGroupSize { get; set; } = 10;

    /// <summary>The map's grid cell, in degrees of latitude and longitude (0.5° is about 55 km north to south).</summary>
    [Range(0.05, 10.0)]
    public double CellDegrees { get; set; } = 0.5;

    /// <summary>The longest period one request may cover.</summary>
    [Range(1, 366)]
    public int MaxDays { get; set; } = 92;
}
