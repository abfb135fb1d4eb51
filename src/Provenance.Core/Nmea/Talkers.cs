using System.Runtime.CompilerServices;

namespace Provenance.Core.Nmea;

/// <summary>Maps talker letters to <see cref="Talker"/> and talkers to the constellation they speak for.</summary>
public static class Talkers
{
    /// <summary>Parses the two talker letters (<c>GP</c>, <c>GB</c>, ...); unknown letters give <see cref="Talker.Other"/>.</summary>
    public static Talker Parse(ReadOnlySpan<char> letters) =>
        letters.Length == 2 && letters[0] <= 0xFF && letters[1] <= 0xFF ? Parse((byte)letters[0], (byte)letters[1]) : Talker.Other;

    /// <summary>The same from the letters' bytes (the decoder's path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Talker Parse(byte first, byte second) => (first, second) switch
    {
        ((byte)'G', (byte)'P') => Talker.GP,
        ((byte)'G', (byte)'L') => Talker.GL,
        ((byte)'G', (byte)'A') => Talker.GA,
        ((byte)'B', (byte)'D') => Talker.BD,
        ((byte)'G', (byte)'B') => Talker.GB,
        ((byte)'G', (byte)'N') => Talker.GN,
        ((byte)'G', (byte)'Q') => Talker.GQ,
        ((byte)'G', (byte)'I') => Talker.GI,
        _ => Talker.Other,
    };

    /// <summary>The single constellation a talker speaks for, or <see langword="null"/> for <c>GN</c> and others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
