using System.ComponentModel.DataAnnotations;

namespace Provenance.Api;

/// <summary>HTTP surface settings, configuration section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Public scans one client may make per minute (token bucket; bursts of a quarter of it).</summary>
    [Range(1, int.MaxValue)]
    public int PublicScansPerMinute { get; set; } = 120;

    /// <summary>Public scans of one code per minute, whoever scans it (stops a botnet hammering one serial).</summary>
    [Range(1, int.MaxValue)]
    public int ScansPerCodePerMinute { get; set; } = 30;

    /// <summary>
    /// Take the client address from the first <c>X-Forwarded-For</c> entry (only behind a reverse proxy that sets it;
    /// otherwise clients could choose their own rate-limit partition and IP location).
    /// </summary>
    public bool TrustForwardedFor { get; set; }

    /// <summary>Most codes one receipt request may carry.</summary>
    [Range(1, 1_000_000)]
    public int MaxReceiptCodes { get; set; } = 100_000;
}
