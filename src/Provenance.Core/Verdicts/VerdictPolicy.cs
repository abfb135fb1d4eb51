using System.ComponentModel.DataAnnotations;

namespace Provenance.Core.Verdicts;

/// <summary>Thresholds of the verdict engine, configuration section <c>Verdicts</c>. Plain settable class bound at start.</summary>
public sealed class VerdictPolicy
{
    public const string Section = "Verdicts";

    /// <summary>Faster than this between two scans is impossible travel (km/h; an airliner is about 900).</summary>
    [Range(1, 100_000)]
    public double MaxTravelSpeedKmh { get; set; } = 900;

    /// <summary>Distances below this (after subtracting both locations' uncertainty) never count as travel, in km.</summary>
    [Range(0, 20_000)]
    public double MinTravelDistanceKm { get; set; } = 50;

    /// <summary>More distinct scanners than this is implausible for one bottle.</summary>
    [Range(1, 10_000)]
    public int MaxDistinctScanners { get; set; } = 5;

    /// <summary>Scans within this time after the seal was opened are the opener's own; later ones suggest a refilled bottle or a copy.</summary>
    public TimeSpan OpenedGrace { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A seal whose fix lies farther than this outside the plant's geofence (metres beyond its edge) is
    /// <c>suspect_origin</c>; nearer, or any other attestation failure, keeps the verdict and lowers the origin confidence.
    /// </summary>
    [Range(0, 20_000_000)]
    public double SuspectOriginMeters { get; set; } = 500;

    /// <summary>Browser fixes at least this accurate (metres) give high confidence; worse ones medium.</summary>
    [Range(1, 1_000_000)]
    public double HighAccuracyMeters { get; set; } = 1_000;
}
