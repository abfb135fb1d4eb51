using System.ComponentModel.DataAnnotations;

namespace Provenance.Api;

/// <summary>The scan history's disk quota, configuration section <c>ScanHistory</c>.</summary>
public sealed class ScanHistoryOptions
{
    public const string Section = "ScanHistory";

    /// <summary>
    /// Most scans kept (a scan row with its index takes about 120 bytes, so the default 20,000,000 is about 2.4 GB).
    /// Beyond it the oldest are pruned down to <see cref="PruneToFraction"/> of it.
    /// </summary>
    [Range(1_000, long.MaxValue)]
    public long MaxScans { get; set; } = 20_000_000;

    /// <summary>Where pruning stops, as a fraction of <see cref="MaxScans"/>.</summary>
    [Range(0.5, 0.99)]
    public double PruneToFraction { get; set; } = 0.9;

    /// <summary>From this fraction of <see cref="MaxScans"/> on, the quota is reported as near.</summary>
    [Range(0.5, 1.0)]
    public double WarnAtFraction { get; set; } = 0.95;

    /// <summary>How often the quota is checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}
