namespace Provenance.Core.Nmea;

/// <summary>Maps talker letters to <see cref="Talker"/> and talkers to the constellation they speak for.</summary>
public static class Talkers
{
    /// <summary>Parses the two talker letters (<c>GP</c>, <c>GB</c>, ...); unknown letters give <see cref="Talker.Other"/>.</summary>
    public static Talker Parse(ReadOnlySpan<char> letters) => letters switch
    {
        "GP" => Talker.GP,
        "GL" => Talker.GL,
        "GA" => Talker.GA,
        "BD" => Talker.BD,
        "GB" => Talker.GB,
        "GN" => Talker.GN,
        "GQ" => Talker.GQ,
        "GI" => Talker.GI,
        _ => Talker.Other,
    };

    /// <summary>The single constellation a talker speaks for, or <see langword="null"/> for <c>GN</c> and others.</summary>
    public static Constellation? ConstellationOf(Talker talker) => talker switch
    {
        Talker.GP => Constellation.Gps,
        Talker.GL => Constellation.Glonass,
        Talker.GA => Constellation.Galileo,
        Talker.BD or Talker.GB => Constellation.BeiDou,
        Talker.GQ => Constellation.Qzss,
        Talker.GI => Constellation.NavIC,
        _ => null,
    };
}
