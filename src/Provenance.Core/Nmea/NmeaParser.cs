using System.Globalization;

namespace Provenance.Core.Nmea;

/// <summary>
/// Parses one NMEA 0183 sentence (<c>$ADDRESS,field,...*HH</c>) and verifies its checksum. Leading and trailing
/// white space (including CR/LF) is ignored; anything else around the sentence is an error, because finding
/// sentences inside noise is the job of <see cref="NmeaStreamDecoder"/>. Stateless and thread-safe.
/// </summary>
public static class NmeaParser
{
    /// <summary>Longest sentence accepted. NMEA allows 82 characters; real receivers exceed that (Unicore GYOACC is ~110).</summary>
    public const int MaxSentenceLength = 512;

    /// <summary>Parses one sentence; see <see cref="NmeaParser"/> for what is accepted.</summary>
    public static NmeaParseResult Parse(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.Length == 0 || text[0] != '$')
        {
            return NmeaParseResult.Fail(NmeaParseError.NoStartDelimiter, "not an NMEA sentence (no leading '$')");
        }

        if (text.Length > MaxSentenceLength)
        {
            return NmeaParseResult.Fail(NmeaParseError.TooLong, $"sentence longer than {MaxSentenceLength} characters");
        }

        var star = text.LastIndexOf('*');
        var body = star < 0 ? text[1..] : text[1..star];
        // One pass: printable check, checksum and comma positions.
        Span<int> commaBuffer = stackalloc int[128];
        var commaCount = 0;
        var computed = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c is < ' ' or > '~')
            {
                return NmeaParseResult.Fail(NmeaParseError.NonPrintableCharacter, string.Create(CultureInfo.InvariantCulture, $"binary data in sentence (byte 0x{(int)c:X2} at column {i + 2})"));
            }

            computed ^= c;
            if (c == ',')
            {
                if (commaCount < commaBuffer.Length)
                {
                    commaBuffer[commaCount] = i;
                }

                commaCount++;
            }
        }

        var addressLength = body.IndexOf(',');
        var address = addressLength < 0 ? body : body[..addressLength];
        if (address.Length < 3 || address.Length > 10 || !IsAddress(address))
        {
            return NmeaParseResult.Fail(NmeaParseError.InvalidAddress, "invalid sentence address (expected talker and type, e.g. GPGGA)");
        }

        if (star < 0)
        {
            return NmeaParseResult.Fail(NmeaParseError.MissingChecksum, "missing checksum (truncated sentence?)");
        }

        if (!NmeaChecksum.TryParse(text[(star + 1)..], out var sent))
        {
            return NmeaParseResult.Fail(NmeaParseError.MalformedChecksum, "malformed checksum (expected two hex digits after '*')");
        }

        if (computed != sent)
        {
            return NmeaParseResult.Fail(NmeaParseError.BadChecksum, string.Create(CultureInfo.InvariantCulture, $"bad checksum: sent {sent:X2}, computed {computed:X2}"));
        }

        var commas = new int[commaCount];
        if (commaCount <= commaBuffer.Length)
        {
            commaBuffer[..commaCount].CopyTo(commas);
        }
        else
        {
            for (int i = 0, n = 0; i < body.Length; i++)
            {
                if (body[i] == ',')
                {
                    commas[n++] = i;
                }
            }
        }

        Talker talker;
        string talkerId;
        string type;
        if (address[0] == 'P')
        {
            talker = Talker.Proprietary;
            talkerId = "P";
            type = address[1..].ToString();
        }
        else
        {
            talker = Talkers.Parse(address[..2]);
            talkerId = talker == Talker.Other ? address[..2].ToString() : TalkerLetters(talker);
            type = SentenceType(address[2..]);
        }

        return new NmeaParseResult(new NmeaSentence(body.ToString(), commas, talker, talkerId, type), NmeaParseError.None, null);
    }

    private static bool IsAddress(ReadOnlySpan<char> address)
    {
        foreach (var c in address)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9')))
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

    private static string SentenceType(ReadOnlySpan<char> type) => type switch
    {
        "GGA" => "GGA",
        "RMC" => "RMC",
        "GNS" => "GNS",
        "GSA" => "GSA",
        "GSV" => "GSV",
        "ZDA" => "ZDA",
        "GLL" => "GLL",
        "VTG" => "VTG",
        "GST" => "GST",
        "GBS" => "GBS",
        "TXT" => "TXT",
        _ => type.ToString(),
    };
}
