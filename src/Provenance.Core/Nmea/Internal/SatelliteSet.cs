using System.Numerics;
using System.Runtime.CompilerServices;

namespace Provenance.Core.Nmea.Internal;

/// <summary>
/// The satellites used in one epoch's GSA sentences, as a bit per constellation and number: every normalised
/// <see cref="SatelliteId"/> has a number below 256 (SBAS PRNs reach 158), except an unknown one, which may carry any
/// number sent and then goes to a hash set. Counting and clearing are a few words of work, with no hashing per satellite.
/// </summary>
internal sealed class SatelliteSet
{
    private const int NumbersPerConstellation = 256;
    private const int WordsPerConstellation = NumbersPerConstellation / 64;

    private readonly ulong[] _bits = new ulong[((int)Constellation.Sbas + 1) * WordsPerConstellation];
    private readonly HashSet<SatelliteId> _large = [];

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(SatelliteId satellite)
    {
        if ((uint)satellite.Prn >= NumbersPerConstellation)
        {
            Count += _large.Add(satellite) ? 1 : 0;
            return;
        }

        var bit = ((int)satellite.Constellation * NumbersPerConstellation) + satellite.Prn;
        ref var word = ref _bits[bit >> 6];
        var mask = 1UL << (bit & 63);
        Count += (word & mask) == 0 ? 1 : 0;
        word |= mask;
    }

    /// <summary>The number of satellites of one (known) constellation in the set.</summary>
    public int CountOf(Constellation constellation)
    {
        var count = 0;
        foreach (var word in _bits.AsSpan((int)constellation * WordsPerConstellation, WordsPerConstellation))
        {
            count += BitOperations.PopCount(word);
        }

        return count;
    }

    public void Clear()
    {
        if (Count == 0)
        {
            return;
        }

        Array.Clear(_bits);
        _large.Clear();
        Count = 0;
    }
}
