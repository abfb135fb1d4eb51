using System.Runtime.CompilerServices;

namespace Provenance.Core.Nmea.Internal;

/// <summary>The sentence types the epoch assembler reads; everything else is <see cref="Other"/>.</summary>
internal enum SentenceKind
{
    Other,
    Gga,
    Rmc,
    Gns,
    Zda,
    Gsa,
    Gsv,
}

/// <summary>
/// A checksum-verified sentence as spans over its bytes (the text between <c>$</c> and <c>*</c>) and its comma
/// offsets: what the decoder's hot path reads fields from, without a string or an object per sentence.
/// </summary>
internal readonly ref struct SentenceView
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly ReadOnlySpan<int> _commas;

    public SentenceView(ReadOnlySpan<byte> body, ReadOnlySpan<int> commas, Talker talker, SentenceKind kind)
    {
        _body = body;
        _commas = commas;
        Talker = talker;
        Kind = kind;
    }

    public Talker Talker { get; }

    public SentenceKind Kind { get; }

    public ReadOnlySpan<byte> Body => _body;

    public ReadOnlySpan<int> Commas => _commas;

    public int FieldCount => _commas.Length;

    /// <summary>Data field <paramref name="index"/> (0 is the first after the address); empty when out of range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Field(int index)
    {
        if ((uint)index >= (uint)_commas.Length)
        {
            return [];
        }

        var start = _commas[index] + 1;
        var end = index + 1 < _commas.Length ? _commas[index + 1] : _body.Length;
        return _body[start..end];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SentenceKind KindOf(Talker talker, ReadOnlySpan<byte> type)
    {
        if (talker == Talker.Proprietary)
        {
            return SentenceKind.Other;
        }

        return type switch
        {
            [(byte)'G', (byte)'G', (byte)'A'] => SentenceKind.Gga,
            [(byte)'R', (byte)'M', (byte)'C'] => SentenceKind.Rmc,
            [(byte)'G', (byte)'N', (byte)'S'] => SentenceKind.Gns,
            [(byte)'Z', (byte)'D', (byte)'A'] => SentenceKind.Zda,
            [(byte)'G', (byte)'S', (byte)'A'] => SentenceKind.Gsa,
            [(byte)'G', (byte)'S', (byte)'V'] => SentenceKind.Gsv,
            _ => SentenceKind.Other,
        };
    }
}
