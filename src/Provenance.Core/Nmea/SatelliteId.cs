using System.Runtime.CompilerServices;

namespace Provenance.Core.Nmea;

/// <summary>
/// A satellite normalised to its constellation and that constellation's own number: GPS 1..32, GLONASS slot
/// 1..32, Galileo 1..36, BeiDou 1..63, QZSS 1..10, NavIC 1..14, SBAS PRN 120..158.
/// </summary>
/// <param name="Constellation">The navigation system.</param>
/// <param name="Prn">The satellite number within <paramref name="Constellation"/>.</param>
public readonly record struct SatelliteId(Constellation Constellation, int Prn)
{
    /// <summary>
    /// Normalises a satellite number as sent in GSA or GSV.
    /// <para>
    /// With an NMEA 4.10+ system id (GSA field 18, <paramref name="systemId"/> 1..6) or a single-constellation talker
    /// (GP, GL, GA, BD, GB, GQ, GI) the number is read in that system's ranges. Otherwise (GN talker before NMEA 4.10)
    /// the extended ranges that u-blox, SiRF, SkyTraq and gpsd use decide: 1..32 GPS, 33..64 SBAS (PRN +87),
    /// 65..96 GLONASS, 120..158 SBAS, 193..200 QZSS, 201..263 BeiDou (SiRF/SkyTraq), 301..336 Galileo, 401..463 BeiDou
    /// (u-blox), 1..63 in BeiDou ranges where the talker is BD or GB.
    /// </para>
    /// </summary>
    /// <param name="talker">The sentence's talker.</param>
    /// <param name="number">The number in the sentence.</param>
    /// <param name="systemId">The NMEA 4.11 system id, when the sentence carries one.</param>
    public static SatelliteId FromNmea(Talker talker, int number, int? systemId = null) => FromNumber(SystemOf(talker, systemId), number);

    /// <summary>
    /// The system whose ranges a sentence's numbers are read in (the same for all its satellites);
    /// <see cref="Constellation.Unknown"/> for the extended ranges.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Constellation SystemOf(Talker talker, int? systemId) => systemId switch
    {
        1 => Constellation.Gps,
        2 => Constellation.Glonass,
        3 => Constellation.Galileo,
        4 => Constellation.BeiDou,
        5 => Constellation.Qzss,
        6 => Constellation.NavIC,
        _ => Talkers.ConstellationOf(talker) ?? Constellation.Unknown,
    };

    /// <summary>Normalises a number read in <paramref name="system"/>'s ranges (<see cref="SystemOf"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static SatelliteId FromNumber(Constellation system, int number)
    {
        return system switch
        {
            Constellation.Gps => Gps(number),
            Constellation.Glonass => number switch
            {
                >= 65 and <= 96 => new(Constellation.Glonass, number - 64),
                >= 1 and <= 32 => new(Constellation.Glonass, number),
                _ => Extended(number),
            },
            Constellation.Galileo => number switch
            {
                >= 1 and <= 36 => new(Constellation.Galileo, number),
                >= 301 and <= 336 => new(Constellation.Galileo, number - 300),
                _ => Extended(number),
            },
            Constellation.BeiDou => number switch
            {
                >= 1 and <= 63 => new(Constellation.BeiDou, number),
                >= 201 and <= 263 => new(Constellation.BeiDou, number - 200),
                >= 401 and <= 463 => new(Constellation.BeiDou, number - 400),
                _ => new(Constellation.Unknown, number),
            },
            Constellation.Qzss => number switch
            {
                >= 1 and <= 10 => new(Constellation.Qzss, number),
                >= 193 and <= 202 => new(Constellation.Qzss, number - 192),
                _ => new(Constellation.Unknown, number),
            },
            Constellation.NavIC => number is >= 1 and <= 14 ? new(Constellation.NavIC, number) : new(Constellation.Unknown, number),
            _ => Extended(number),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SatelliteId Gps(int number) => number switch
    {
        >= 1 and <= 32 => new(Constellation.Gps, number),
        _ => Extended(number),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static SatelliteId Extended(int number) => number switch
    {
        >= 1 and <= 32 => new(Constellation.Gps, number),
        >= 33 and <= 64 => new(Constellation.Sbas, number + 87),
        >= 65 and <= 96 => new(Constellation.Glonass, number - 64),
        >= 120 and <= 158 => new(Constellation.Sbas, number),
        >= 193 and <= 200 => new(Constellation.Qzss, number - 192),
        >= 201 and <= 263 => new(Constellation.BeiDou, number - 200),
        >= 301 and <= 336 => new(Constellation.Galileo, number - 300),
        >= 401 and <= 463 => new(Constellation.BeiDou, number - 400),
        _ => new(Constellation.Unknown, number),
    };
}
