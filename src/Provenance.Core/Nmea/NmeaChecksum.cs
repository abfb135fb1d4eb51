namespace Provenance.Core.Nmea;

/// <summary>The NMEA 0183 checksum: the XOR of every character between <c>$</c> and <c>*</c>.</summary>
public static class NmeaChecksum
{
    /// <summary>Computes the checksum of a sentence body (the text between <c>$</c> and <c>*</c>, both excluded).</summary>
    public static byte Compute(ReadOnlySpan<char> body)
    {
        var sum = 0;
        foreach (var c in body)
        {
            sum ^= c;
        }

        return (byte)sum;
    }

    /// <summary>Parses the two hexadecimal digits after <c>*</c> (either case).</summary>
    public static bool TryParse(ReadOnlySpan<char> digits, out byte value)
    {
        value = 0;
        if (digits.Length != 2)
        {
            return false;
        }

        var high = HexValue(digits[0]);
        var low = HexValue(digits[1]);
        if (high < 0 || low < 0)
        {
            return false;
        }

        value = (byte)((high << 4) | low);
        return true;
    }

    /// <summary>Appends <c>*HH</c> to a sentence that lacks its checksum (for tests and simulators).</summary>
    /// <param name="sentence">A sentence starting with <c>$</c>, without <c>*</c>.</param>
    public static string Append(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var start = sentence.StartsWith('$') ? 1 : 0;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{sentence}*{Compute(sentence.AsSpan(start)):X2}");
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
