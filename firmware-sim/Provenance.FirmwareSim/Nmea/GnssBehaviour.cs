namespace Provenance.FirmwareSim.Nmea;

/// <summary>How the simulated receiver (mis)behaves.</summary>
public sealed record GnssBehaviour
{
    /// <summary>Report a position 50 km north-east of the site.</summary>
    public bool OffSite { get; init; }

    /// <summary>Report identical coordinates every epoch (a replayed or stuck receiver).</summary>
    public bool Frozen { get; init; }

    /// <summary>Mark fixes as simulated: RMC mode indicator <c>S</c>, GGA quality 8.</summary>
    public bool SimulationMode { get; init; }

    /// <summary>Report a poor geometry: HDOP 6–9.</summary>
    public bool PoorHdop { get; init; }

    /// <summary>Use only three satellites in the fix (two GPS, one BeiDou).</summary>
    public bool FewSatellites { get; init; }

    /// <summary>Track BeiDou satellites but use none of them in the fix (a GPS-only fix).</summary>
    public bool NoBeiDou { get; init; }

    /// <summary>The 2nd, 6th, 10th… epoch lands 5 km away, the next one back home: jumps no bottling line can make.</summary>
    public bool Jump { get; init; }

    /// <summary>Mix bad checksums and truncated sentences into every epoch.</summary>
    public bool CorruptNmea { get; init; }

    /// <summary>The talker of BeiDou GSV sentences: <c>GB</c> (NMEA 4.11) or <c>BD</c>.</summary>
    public string BeiDouTalker { get; init; } = "GB";
}
