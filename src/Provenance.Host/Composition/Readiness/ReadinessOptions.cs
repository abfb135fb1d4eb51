using System.ComponentModel.DataAnnotations;

namespace Provenance.Host.Composition.Readiness;

/// <summary>Thresholds of <c>/health/ready</c>, section <c>Health</c>.</summary>
public sealed class ReadinessOptions
{
    public const string Section = "Health";

    /// <summary>A sink that has failed for longer than this makes readiness fail (shorter: degraded, still ready).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Health:SinkFailureGrace must be between 0 and 1 day")]
    public TimeSpan SinkFailureGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A sink further behind than this many journal entries makes readiness fail.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Health:MaxSinkLag must be at least 1")]
    public long MaxSinkLag { get; set; } = 100_000;

    /// <summary>A sink whose oldest waiting journal entry is older than this makes readiness fail.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Health:MaxSinkDelay must be between 1 s and 30 days")]
    public TimeSpan MaxSinkDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a reachability probe (InfluxDB <c>/ping</c>) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Health:ProbeTimeout must be between 100 ms and 1 min")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
