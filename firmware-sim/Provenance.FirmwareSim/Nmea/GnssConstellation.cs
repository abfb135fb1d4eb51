namespace Provenance.FirmwareSim.Nmea;

/// <summary>A satellite system the simulated receiver tracks, with its NMEA 4.11 identifiers.</summary>
/// <param name="Name">Human name, e.g. "GPS".</param>
/// <param name="SystemId">The GSA system id field (NMEA 4.11): GPS 1, BeiDou 4.</param>
/// <param name="GsvTalker">The talker of this system's GSV sentences (GP, GB or BD).</param>
/// <param name="SignalId">The GSV signal id (1 = GPS L1 C/A, BeiDou B1I).</param>
/// <param name="MaxPrn">The highest satellite number used by the system in NMEA.</param>
public sealed record GnssConstellation(string Name, int SystemId, string GsvTalker, int SignalId, int MaxPrn)
{
    /// <summary>The GSA system id of BeiDou (NMEA 4.11).</summary>
    public const int BeiDouSystemId = 4;

    /// <summary>The GSA system id of GPS (NMEA 4.11).</summary>
    public const int GpsSystemId = 1;

    /// <summary>GPS: talker GP, PRN 1–32.</summary>
    public static GnssConstellation Gps { get; } = new("GPS", GpsSystemId, "GP", 1, 32);

    /// <summary>BeiDou with the given GSV talker (<c>GB</c> per NMEA 4.11, <c>BD</c> as older receivers write), PRN 1–63.</summary>
    public static GnssConstellation BeiDou(string talker) => new("BeiDou", BeiDouSystemId, talker, 1, 63);
}
