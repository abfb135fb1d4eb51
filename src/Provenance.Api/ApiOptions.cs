using System.ComponentModel.DataAnnotations;

namespace Provenance.Api;

/// <summary>HTTP surface settings, configuration section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Public scans one client may make per minute (token bucket; bursts of a quarter of it).</summary>
    [Range(1, int.MaxValue)]
    public int PublicScansPerMinute { get; set; } = 120;

    /// <summary>
    /// Scans of one code per minute that are looked up fresh and recorded, whoever scans it. Beyond it, every client
    /// still gets an answer: the code's latest verdict from a short-lived cache, not recorded. So a flood of one code
    /// costs little and cannot deny the bottle to anyone.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int ScansPerCodePerMinute { get; set; } = 30;

    /// <summary>Scans of one code by one client per minute (bursts of a quarter of it, at least 5); beyond it that client alone gets 429.</summary>
    [Range(1, int.MaxValue)]
    public int ScansPerCodePerClientPerMinute { get; set; } = 12;

    /// <summary>Requests to <c>/api/*</c> per client address per minute (token bucket; bursts of a quarter of it).</summary>
    [Range(1, int.MaxValue)]
    public int ApiRequestsPerMinute { get; set; } = 600;

    /// <summary>Dashboard sign-in attempts per client address per minute (bursts of a quarter of it, at least 5).</summary>
    [Range(1, int.MaxValue)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Reverse proxies (IP addresses) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. The client
    /// is the right-most address that is not a known proxy. Empty (the default): forwarded headers are ignored.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of reverse proxies, in CIDR notation (<c>10.0.0.0/8</c>), as <see cref="KnownProxies"/>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// The public scheme is https even though requests reach us over plain HTTP from a TLS proxy that is not listed in
    /// <see cref="KnownProxies"/>: requests are treated as https (so cookies are <c>Secure</c>). Requests through a known
    /// proxy that says <c>X-Forwarded-Proto: https</c>, or that arrive over HTTPS, are https anyway.
    /// </summary>
    public bool AssumeHttps { get; set; }

    /// <summary>Replaced by <see cref="KnownProxies"/> and <see cref="KnownNetworks"/>; setting it stops the start with that advice.</summary>
    public bool? TrustForwardedFor { get; set; }

    /// <summary>Most codes one receipt request may carry.</summary>
    [Range(1, 1_000_000)]
    public int MaxReceiptCodes { get; set; } = 100_000;
}
