namespace Provenance.Core.Nmea;

/// <summary>
/// Everything a receiver reported for one UTC time (one navigation epoch), merged from its GGA, RMC, GNS, GSA, GSV
/// and ZDA sentences. Immutable.
/// </summary>
public sealed record FixEpoch
{
    /// <summary>The UTC time of day of the epoch, as sent.</summary>
    public required TimeSpan TimeOfDay { get; init; }

    /// <summary>
    /// The UTC date: from RMC or ZDA in this epoch, else the last date seen, advanced by one day when the time of
    /// day wraps past midnight. <see langword="null"/> before the receiver has sent any date.
    /// </summary>
    public DateOnly? Date { get; init; }

    /// <summary>Whether <see cref="Date"/> came from a sentence of this epoch rather than from an earlier one.</summary>
    public bool DateFromThisEpoch { get; init; }

    /// <summary>The UTC instant of the epoch, or <see langword="null"/> while no date is known.</summary>
    public DateTimeOffset? TimeUtc => Date is { } date ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + TimeOfDay : null;

    /// <summary>Latitude in decimal degrees (WGS 84, north positive), from the last valid position sentence of the epoch.</summary>
    public double? Latitude { get; init; }

    /// <summary>Longitude in decimal degrees (WGS 84, east positive).</summary>
    public double? Longitude { get; init; }

    /// <summary>Altitude above mean sea level in metres (GGA/GNS).</summary>
    public double? AltitudeMeters { get; init; }

    /// <summary>2D/3D from GSA; without GSA, from the GGA/GNS quality (3D when an altitude is given) or an RMC status A (2D).</summary>
    public FixMode FixMode { get; init; } = FixMode.NoFix;

    /// <summary>The GGA fix quality: 0 invalid, 1 GPS, 2 DGPS, 4 RTK fixed, 5 RTK float, 6 estimated, 8 simulator, ...</summary>
    public int? GgaQuality { get; init; }

    /// <summary>Horizontal dilution of precision (GSA, else GGA/GNS).</summary>
    public double? Hdop { get; init; }

    /// <summary>Position dilution of precision (GSA).</summary>
    public double? Pdop { get; init; }

    /// <summary>Vertical dilution of precision (GSA).</summary>
    public double? Vdop { get; init; }

    /// <summary>Satellites used in the solution (GGA/GNS, else the satellites listed in GSA).</summary>
    public int? SatellitesUsed { get; init; }

    /// <summary>BeiDou satellites used in the solution (from GSA); <see langword="null"/> when the epoch has no GSA.</summary>
    public int? BeiDouSatellitesUsed { get; init; }

    /// <summary>The constellations of the satellites in view (GSV) or in use (GSA) during the epoch.</summary>
    public IReadOnlySet<Constellation> Constellations { get; init; } = new HashSet<Constellation>();

    /// <summary>The RMC status: <c>A</c> valid, <c>V</c> warning; <see langword="null"/> without RMC.</summary>
    public char? RmcStatus { get; init; }

    /// <summary>The mode indicator of RMC or GNS (for GNS, the first system's character that is not <c>N</c>).</summary>
    public NmeaModeIndicator? ModeIndicator { get; init; }

    /// <summary>Whether the receiver says the position comes from a simulator (mode <c>S</c> or GGA quality 8).</summary>
    public bool IsSimulated => ModeIndicator == NmeaModeIndicator.Simulator || GgaQuality == 8;

    /// <summary>Whether the position is estimated / dead reckoning (mode <c>E</c> or GGA quality 6), not measured.</summary>
    public bool IsEstimated => ModeIndicator == NmeaModeIndicator.Estimated || GgaQuality == 6;

    /// <summary>Whether the epoch carries a usable position: latitude and longitude and a 2D or 3D fix.</summary>
    public bool HasPosition => Latitude is not null && Longitude is not null && FixMode != FixMode.NoFix;
}
