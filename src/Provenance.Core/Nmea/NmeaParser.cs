using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text;
using Provenance.Core.Nmea.Internal;

namespace Provenance.Core.Nmea;

/// <summary>
/// Parses one NMEA 0183 sentence (<c>$ADDRESS,field,...*HH</c>) and verifies its checksum. Leading and trailing
/// white space (including CR/LF) is ignored; anything else around the sentence is an error, because finding
/// sentences inside noise is the job of <see cref="NmeaStreamDecoder"/>. The work is done over the sentence's bytes
/// (<see cref="ParseView"/>, what the stream decoder uses without allocating); <see cref="Parse"/> wraps it in an
/// <see cref="NmeaSentence"/>. Stateless and thread-safe.
/// </summary>
public static class NmeaParser
{
    /// <summary>Longest sentence accepted. NMEA allows 82 characters; real receivers exceed that (Unicore GYOACC is ~110).</summary>
    public const int MaxSentenceLength = 512;

    /// <summary>Parses one sentence; see <see cref="NmeaParser"/> for what is accepted.</summary>
    public static NmeaParseResult Parse(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.Length > MaxSentenceLength + 8)
        {
            text = text[..(MaxSentenceLength + 8)];
        }

        // Characters map to bytes one to one (Latin-1); anything wider is not NMEA and fails the printable check.
        Span<byte> bytes = stackalloc byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            bytes[i] = text[i] <= 0xFF ? (byte)text[i] : (byte)0x7F;
        }

        Span<int> commas = stackalloc int[MaxSentenceLength];
        var error = ParseView(bytes, commas, out var view, out var reason);
        return error == NmeaParseError.None ? new NmeaParseResult(ToSentence(view), NmeaParseError.None, null) : NmeaParseResult.Fail(error, reason!);
    }

    /// <summary>Parses a sentence's bytes into a view over them; <paramref name="commaBuffer"/> holds at least <see cref="MaxSentenceLength"/> slots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static NmeaParseError ParseView(ReadOnlySpan<byte> text, Span<int> commaBuffer, out SentenceView view, out string? reason)
    {
        view = default;
        reason = null;
        text = Trim(text);
        if (text.Length == 0 || text[0] != (byte)'$')
        {
            reason = "not an NMEA sentence (no leading '$')";
            return NmeaParseError.NoStartDelimiter;
        }

        if (text.Length > MaxSentenceLength)
        {
            reason = $"sentence longer than {MaxSentenceLength} characters";
            return NmeaParseError.TooLong;
        }

        var star = text.LastIndexOf((byte)'*');
        var body = star < 0 ? text[1..] : text[1..star];

        // Checksum, commas and the printable check in one pass; the printable check is reported first, with the first
        // offending byte (searched again only on that rare path).
        var computed = XorAndCommas(body, commaBuffer, out var commaCount, out var printable);
        if (!printable)
        {
            var binary = body.IndexOfAnyExceptInRange((byte)' ', (byte)'~');
            reason = string.Create(CultureInfo.InvariantCulture, $"binary data in sentence (byte 0x{body[binary]:X2} at column {binary + 2})");
            return NmeaParseError.NonPrintableCharacter;
        }

        var address = commaCount == 0 ? body : body[..commaBuffer[0]];
        if (address.Length < 3 || address.Length > 10 || !IsAddress(address))
        {
            reason = "invalid sentence address (expected talker and type, e.g. GPGGA)";
            return NmeaParseError.InvalidAddress;
        }

        if (star < 0)
        {
            reason = "missing checksum (truncated sentence?)";
            return NmeaParseError.MissingChecksum;
        }

        if (!TryParseChecksum(text[(star + 1)..], out var sent))
        {
            reason = "malformed checksum (expected two hex digits after '*')";
            return NmeaParseError.MalformedChecksum;
        }

        if (computed != sent)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"bad checksum: sent {sent:X2}, computed {computed:X2}");
            return NmeaParseError.BadChecksum;
        }

        var talker = address[0] == (byte)'P' ? Talker.Proprietary : Talkers.Parse(address[0], address[1]);
        view = new SentenceView(body, commaBuffer[..commaCount], talker, SentenceView.KindOf(talker, address[2..]));
        return NmeaParseError.None;
    }

    /// <summary>The allocated, public form of a view.</summary>
    internal static NmeaSentence ToSentence(SentenceView view)
    {
        var address = view.FieldCount == 0 ? view.Body : view.Body[..view.Commas[0]];
        string talkerId;
        string type;
        if (view.Talker == Talker.Proprietary)
        {
            talkerId = "P";
            type = Encoding.Latin1.GetString(address[1..]);
        }
        else
        {
            talkerId = view.Talker == Talker.Other ? Encoding.Latin1.GetString(address[..2]) : TalkerLetters(view.Talker);
            type = view.Kind switch
            {
                SentenceKind.Gga => "GGA",
                SentenceKind.Rmc => "RMC",
                SentenceKind.Gns => "GNS",
                SentenceKind.Zda => "ZDA",
                SentenceKind.Gsa => "GSA",
                SentenceKind.Gsv => "GSV",
                _ => Encoding.Latin1.GetString(address[2..]),
            };
        }

        return new NmeaSentence(Encoding.Latin1.GetString(view.Body), view.Commas.ToArray(), view.Talker, talkerId, type);
    }

    /// <summary>Trims ASCII and Latin-1 white space (what <see cref="MemoryExtensions.Trim(ReadOnlySpan{char})"/> trims in the same range).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        var start = 0;
        while (start < text.Length && IsWhiteSpace(text[start]))
        {
            start++;
        }

        var end = text.Length;
        while (end > start && IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsWhiteSpace(byte b) => b is (byte)' ' or (>= 0x09 and <= 0x0D) or 0x85 or 0xA0;

    /// <summary>
    /// The XOR of all bytes (the checksum), the offsets of the commas and whether every byte is printable ASCII
    /// (<c>' '</c>..<c>'~'</c>), sixteen bytes at a time. The bytes after the last whole block are read as the final
    /// sixteen bytes with the lanes already done masked off, so no byte is visited one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int XorAndCommas(ReadOnlySpan<byte> body, Span<int> commas, out int commaCount, out bool printable)
    {
        const byte PrintableSpan = (byte)'~' - (byte)' ';
        commaCount = 0;
        if (!Vector128.IsHardwareAccelerated || body.Length < Vector128<byte>.Count)
        {
            var sum = 0;
            var outside = false;
            for (var i = 0; i < body.Length; i++)
            {
                sum ^= body[i];
                outside |= (byte)(body[i] - (byte)' ') > PrintableSpan;
                if (body[i] == (byte)',')
                {
                    commas[commaCount++] = i;
                }
            }

            printable = !outside;
            return sum;
        }

        var acc = Vector128<byte>.Zero;
        var unprintable = Vector128<byte>.Zero;
        var comma = Vector128.Create((byte)',');
        var space = Vector128.Create((byte)' ');
        var span = Vector128.Create(PrintableSpan);
        var fresh = Vector128<byte>.AllBitsSet;
        var last = body.Length - Vector128<byte>.Count;
        for (var at = 0; ;)
        {
            var block = Vector128.Create(body.Slice(at, Vector128<byte>.Count)) & fresh;
            acc ^= block;

            // Bytes below ' ' wrap around to above the span (unsigned bytes).
            unprintable |= Vector128.GreaterThan(block - space, span) & fresh;
            for (var mask = Vector128.Equals(block, comma).ExtractMostSignificantBits(); mask != 0; mask &= mask - 1)
            {
                commas[commaCount++] = at + BitOperations.TrailingZeroCount(mask);
            }

            var next = at + Vector128<byte>.Count;
            if (next >= body.Length)
            {
                break;
            }

            if (next > last)
            {
                fresh = Vector128.Create(LastBlockLanes.Slice(body.Length - next, Vector128<byte>.Count));
                next = last;
            }

            at = next;
        }

        var lanes = acc.AsUInt64();
        var folded = lanes.GetElement(0) ^ lanes.GetElement(1);
        folded ^= folded >> 32;
        folded ^= folded >> 16;
        folded ^= folded >> 8;
        printable = unprintable == Vector128<byte>.Zero;
        return (int)(folded & 0xFF);
    }

    /// <summary>Sixteen lanes from offset <c>n</c> (1..15) keep the last <c>n</c> bytes of a block: the ones not yet read.</summary>
    private static ReadOnlySpan<byte> LastBlockLanes =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseChecksum(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.Length != 2)
        {
            return false;
        }

        var high = HexValue(text[0]);
        var low = HexValue(text[1]);
        value = (high << 4) | low;
        return high >= 0 && low >= 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsAddress(ReadOnlySpan<byte> address)
    {
        foreach (var c in address)
        {
            if (c is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')))
            {
                return false;
            }
        }

        return true;
    }

    private static string TalkerLetters(Talker talker) => talker switch
    {
        Talker.GP => "GP",
        Talker.GL => "GL",
        Talker.GA => "GA",
        Talker.BD => "BD",
        Talker.GB => "GB",
        Talker.GN => "GN",
        Talker.GQ => "GQ",
        Talker.GI => "GI",
        _ => "P",
    };
}
