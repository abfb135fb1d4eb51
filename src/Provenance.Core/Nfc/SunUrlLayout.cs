using System.Globalization;
using System.Text;

namespace Provenance.Core.Nfc;

/// <summary>
/// What an encoding station writes into a cap's NDEF file (NTAG 424 DNA file 02h): one NFC Forum URI record holding
/// <c>{scheme}://{domain}/nfc/{keyId}?e=0…0&amp;t=II{marker}0…0&amp;m=0…0</c>, and the SDM offsets into that file
/// where the chip mirrors encrypted PICCData (<c>e</c>), encrypted file data (<c>t</c>: its first 16 characters are
/// the plaintext, the tamper status mirrored over the first two) and the SDMMAC (<c>m</c>, MACing from the start of
/// <c>t</c>). Offsets count from the start of the file, NLEN included. Immutable.
/// </summary>
public sealed class SunUrlLayout
{
    /// <summary>The 14 plaintext characters after the tamper status; a decrypted file data without them is not ours.</summary>
    public const string FileDataMarker = "PROVENANCE-SDM";

    /// <summary>NLEN (2) + record header D1h 01h payload-length 55h ('U') + URI identifier code.</summary>
    private const int UriBodyOffset = 7;

    public SunUrlLayout(string scheme, string domain, int keyId)
    {
        if (scheme is not ("https" or "http"))
        {
            throw new ArgumentException("scheme must be https or http", nameof(scheme));
        }

        if (string.IsNullOrWhiteSpace(domain) || domain.Contains('/', StringComparison.Ordinal) || domain.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException("domain must be a host name (and optional port)", nameof(domain));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(keyId);
        Scheme = scheme;
        Domain = domain;
        KeyId = keyId;
        var body = new StringBuilder(domain).Append(SunMessage.PathPrefix).Append(keyId.ToString(CultureInfo.InvariantCulture)).Append("?e=");
        PiccDataOffset = UriBodyOffset + body.Length;
        body.Append('0', 2 * SecureDynamicMessaging.PiccDataBytes).Append("&t=");
        FileDataOffset = UriBodyOffset + body.Length;
        body.Append("II").Append(FileDataMarker).Append('0', SunMessage.FileDataBytes).Append("&m=");
        MacOffset = UriBodyOffset + body.Length;
        body.Append('0', 2 * SecureDynamicMessaging.MacBytes);
        UrlTemplate = $"{scheme}://{body}";
        var uri = Encoding.ASCII.GetBytes(body.ToString());
        var payloadLength = 1 + uri.Length;
        if (payloadLength > 250)
        {
            throw new ArgumentException($"the cap URL is {UrlTemplate.Length} characters: too long for one short NDEF record in the 256-byte file", nameof(domain));
        }

        var file = new byte[UriBodyOffset + uri.Length];
        var messageLength = file.Length - 2;
        file[0] = (byte)(messageLength >> 8);
        file[1] = (byte)messageLength;
        file[2] = 0xD1; // MB, ME, SR, TNF well-known
        file[3] = 0x01; // type length
        file[4] = (byte)payloadLength;
        file[5] = (byte)'U';
        file[6] = scheme == "https" ? (byte)0x04 : (byte)0x03; // URI identifier code: "https://" or "http://"
        uri.CopyTo(file, UriBodyOffset);
        NdefFile = file;
    }

    public string Scheme { get; }

    public string Domain { get; }

    public int KeyId { get; }

    /// <summary>The URL as written, placeholders included.</summary>
    public string UrlTemplate { get; }

    /// <summary>The NDEF file content to write (NLEN, record header, URI).</summary>
    public IReadOnlyList<byte> NdefFile { get; }

    /// <summary>PICCDataOffset: where the 32 characters of encrypted PICCData go.</summary>
    public int PiccDataOffset { get; }

    /// <summary>SDMENCOffset, and SDMMACInputOffset, and the TagTamper status mirror offset.</summary>
    public int FileDataOffset { get; }

    /// <summary>SDMENCLength: the placeholder of 32 characters (16 plaintext bytes, encrypted and mirrored as hex).</summary>
    public static int FileDataLength => 2 * SunMessage.FileDataBytes;

    /// <summary>SDMMACOffset: where the 16 characters of the SDMMAC go.</summary>
    public int MacOffset { get; }

    /// <summary>The URL of one tap (what a phone opens).</summary>
    public string Url(SunMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"{Scheme}://{Domain}{message.PathAndQuery()}";
    }

    /// <summary>The 16 plaintext bytes of the file data, as the chip encrypts them with the tamper status mirrored.</summary>
    public static byte[] FileDataPlaintext(string mirroredStatus)
    {
        ArgumentNullException.ThrowIfNull(mirroredStatus);
        return mirroredStatus.Length == 2
            ? Encoding.ASCII.GetBytes(mirroredStatus + FileDataMarker)
            : throw new ArgumentException("the tamper status is two characters", nameof(mirroredStatus));
    }

    /// <summary>Whether decrypted file data carries this layout's marker after the two status characters.</summary>
    public static bool HasMarker(ReadOnlySpan<byte> plain) =>
        plain.Length == SunMessage.FileDataBytes && plain[2..].SequenceEqual(Encoding.ASCII.GetBytes(FileDataMarker));
}
