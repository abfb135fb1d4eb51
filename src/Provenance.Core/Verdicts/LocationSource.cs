namespace Provenance.Core.Verdicts;

/// <summary>Where a scan's location came from; wire names are the lower-case member names.</summary>
public enum LocationSource
{
    /// <summary>No location.</summary>
    None,

    /// <summary>The consumer's browser (Geolocation API), with its stated accuracy.</summary>
    Browser,

    /// <summary>A coarse region from the client's IP address (offline MMDB).</summary>
    Ip,

    /// <summary>Declared by an authenticated distributor for its warehouse receipt.</summary>
    Distributor,
}

/// <summary>How far a location-based conclusion can be trusted; wire names are the lower-case member names.</summary>
public enum LocationConfidence
{
    /// <summary>No location was involved.</summary>
    None,

    /// <summary>A country or city from an IP address: proxies and VPNs make it weak.</summary>
    Low,

    /// <summary>A browser fix with poor accuracy (worse than <see cref="VerdictPolicy.HighAccuracyMeters"/>).</summary>
    Medium,

    /// <summary>A precise browser fix, or a distributor's declared location.</summary>
    High,
}
