namespace Provenance.Core.Nmea;

/// <summary>A satellite navigation system.</summary>
public enum Constellation
{
    /// <summary>The system could not be determined.</summary>
    Unknown = 0,

    /// <summary>GPS (United States).</summary>
    Gps,

    /// <summary>GLONASS (Russia).</summary>
    Glonass,

    /// <summary>Galileo (European Union).</summary>
    Galileo,

    /// <summary>BeiDou, BDS (China).</summary>
    BeiDou,

    /// <summary>QZSS (Japan).</summary>
    Qzss,

    /// <summary>NavIC, IRNSS (India).</summary>
    NavIC,

    /// <summary>Satellite-based augmentation (WAAS, EGNOS, MSAS, GAGAN, ...).</summary>
    Sbas,
}
