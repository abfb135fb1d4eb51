namespace Provenance.Core.Nmea;

/// <summary>
/// The positioning mode indicator of RMC (field 12) and GNS (field 6), NMEA 2.3 and later.
/// The numeric value of each member is the character the receiver sends.
/// </summary>
public enum NmeaModeIndicator
{
    /// <summary><c>A</c>: autonomous fix.</summary>
    Autonomous = 'A',

    /// <summary><c>D</c>: differential fix.</summary>
    Differential = 'D',

    /// <summary><c>E</c>: estimated (dead reckoning); the position is extrapolated, not measured.</summary>
    Estimated = 'E',

    /// <summary><c>F</c>: RTK float.</summary>
    RtkFloat = 'F',

    /// <summary><c>M</c>: manual input.</summary>
    Manual = 'M',

    /// <summary><c>N</c>: data not valid.</summary>
    NotValid = 'N',

    /// <summary><c>P</c>: precise.</summary>
    Precise = 'P',

    /// <summary><c>R</c>: RTK fixed integer.</summary>
    RtkFixed = 'R',

    /// <summary><c>S</c>: simulator; the receiver is replaying or inventing positions.</summary>
    Simulator = 'S',
}
