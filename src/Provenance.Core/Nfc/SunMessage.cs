using System.Globalization;
using System.Text;

namespace Provenance.Core.Nfc;

/// <summary>
/// A Secure Unique NFC message as a phone opens it: <c>/nfc/{keyId}?e={PICCData}&amp;t={SDMENCFileData}&amp;m={SDMMAC}</c>
/// (<c>t</c> optional), every value upper-case hex of fixed length. <see cref="MacInput"/> is exactly what the chip
/// MACed: the mirrored text from the start of the <c>t</c> value up to the start of the <c>m</c> value (empty
/// without <c>t</c>). Parsing is strict (names, order, lengths), so a truncated, padded or rearranged message is
/// malformed rather than guessed at. Immutable.
/// </summary>
public sealed record SunMessage(int KeyId, byte[] EncryptedPiccData, byte[]? EncryptedFileData, byte[] Mac, byte[] MacInput)
{
    public const string PathPrefix = "/nfc/";
    public const int FileDataBytes = 16;

    /// <summary>Parses the key id path segment and the raw query string (with or without the leading '?').</summary>
    public static bool TryParse(string? keyIdSegment, string? query, out SunMessage? message, out string? error)
    {
        message = null;
        if (keyIdSegment is not { Length: > 0 and <= 9 } || !int.TryParse(keyIdSegment, NumberStyles.None, CultureInfo.InvariantCulture, out var keyId))
        {
            error = "the key id in the path is not a number";
            return false;
        }

        var q = (query ?? string.Empty).AsSpan();
        if (q.StartsWith("?"))
        {
            q = q[1..];
        }

        if (!TakeHex(ref q, "e=", SecureDynamicMessaging.PiccDataBytes, out var picc, out _, out error))
        {
            return false;
        }

        byte[]? fileData = null;
        var macInput = string.Empty;
        if (q.StartsWith("&t="))
        {
            q = q[1..];
            if (!TakeHex(ref q, "t=", FileDataBytes, out fileData, out var fileText, out error))
            {
                return false;
            }

            macInput = fileText + "&m=";
        }

        if (!q.StartsWith("&m="))
        {
            error = "the message has no m (SDMMAC) parameter where one is expected";
            return false;
        }

        q = q[1..];
        if (!TakeHex(ref q, "m=", SecureDynamicMessaging.MacBytes, out var mac, out _, out error))
        {
            return false;
        }

        if (!q.IsEmpty)
        {
            error = "the message has parameters after m";
            return false;
        }

        message = new SunMessage(keyId, picc!, fileData, mac!, Encoding.ASCII.GetBytes(macInput));
        return true;
    }

    /// <summary>The URL path and query of this message (for the emulator and tests).</summary>
    public string PathAndQuery()
    {
        var text = new StringBuilder(PathPrefix).Append(KeyId.ToString(CultureInfo.InvariantCulture))
            .Append("?e=").Append(Convert.ToHexString(EncryptedPiccData));
        if (EncryptedFileData is not null)
        {
            text.Append("&t=").Append(Convert.ToHexString(EncryptedFileData));
        }

        return text.Append("&m=").Append(Convert.ToHexString(Mac)).ToString();
    }

    private static bool TakeHex(ref ReadOnlySpan<char> q, string name, int bytes, out byte[]? value, out string text, out string? error)
    {
        value = null;
        text = string.Empty;
        if (!q.StartsWith(name))
        {
            error = $"the message has no {name[..^1]} parameter where one is expected";
            return false;
        }

        q = q[name.Length..];
        var end = q.IndexOf('&');
        var raw = end < 0 ? q : q[..end];
        if (raw.Length != 2 * bytes)
        {
            error = $"{name[..^1]} must be {2 * bytes} hex characters, got {raw.Length}";
            return false;
        }

        foreach (var c in raw)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                error = $"{name[..^1]} must be hex";
                return false;
            }
        }

        text = raw.ToString();
        value = Convert.FromHexString(raw);
        q = q[raw.Length..];
        error = null;
        return true;
    }
}
