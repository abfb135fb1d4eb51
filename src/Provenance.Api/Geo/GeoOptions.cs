namespace Provenance.Api.Geo;

/// <summary>Offline IP geolocation, configuration section <c>Geo</c>.</summary>
public sealed class GeoOptions
{
    public const string Section = "Geo";

    /// <summary>
    /// An MMDB file (MaxMind GeoLite2/GeoIP2 City or Country schema, or the flat <c>@ip-location-db</c> schema). Empty:
    /// no IP geolocation, scans without a browser location have none.
    /// </summary>
    public string? MmdbPath { get; set; }
}
