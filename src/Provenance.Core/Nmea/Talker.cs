namespace Provenance.Core.Nmea;

/// <summary>The talker of an NMEA 0183 sentence: the two letters after <c>$</c>.</summary>
public enum Talker
{
    /// <summary>Any talker this library does not know (its letters stay in <see cref="NmeaSentence.TalkerId"/>).</summary>
    Other = 0,

    /// <summary><c>GP</c>: GPS (and, by old convention, SBAS and QZSS).</summary>
    GP,

    /// <summary><c>GL</c>: GLONASS.</summary>
    GL,

    /// <summary><c>GA</c>: Galileo.</summary>
    GA,

    /// <summary><c>BD</c>: BeiDou, as mandated by the Chinese standard.</summary>
    BD,

    /// <summary><c>GB</c>: BeiDou, as NMEA 4.10+ names it.</summary>
    GB,

    /// <summary><c>GN</c>: a combined multi-constellation solution.</summary>
    GN,

    /// <summary><c>GQ</c>: QZSS.</summary>
    GQ,

    /// <summary><c>GI</c>: NavIC (IRNSS).</summary>
    GI,

    /// <summary>A proprietary sentence (<c>$P...</c>).</summary>
    Proprietary,
}
