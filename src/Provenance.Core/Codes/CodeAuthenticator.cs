using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Provenance.Core.Codes;

/// <summary>
/// Signs and verifies codes: <c>m</c> = base64url of the first 12 bytes (96 bits) of HMAC-SHA256(key <c>k</c>,
/// canonical Digital Link path). Verification needs no database and compares in constant time. The host is not
/// covered, so a code verifies on whichever resolver host it is scanned. Thread-safe.
/// </summary>
public sealed class CodeAuthenticator(CodeKeyRing keys)
{
    public const int MacBytes = 12;
    public const string KeyIdParameter = "k";
    public const string MacParameter = "m";

    /// <summary>The URI of <paramref name="link"/> with <c>k</c> and <c>m</c> (replacing any present) appended.</summary>
    public string Sign(DigitalLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        keys.TryGet(keys.CurrentKeyId, out var key);
        var mac = Base64Url.EncodeToString(Mac(key, link.CanonicalPath));
        var attributes = link.Attributes.Where(a => a.Key is not (KeyIdParameter or MacParameter)).ToList();
        attributes.Add(new(KeyIdParameter, keys.CurrentKeyId.ToString(CultureInfo.InvariantCulture)));
        attributes.Add(new(MacParameter, mac));
        return (link with { Attributes = attributes }).ToUri();
    }

    public CodeVerification Verify(string uri) =>
        DigitalLink.TryParse(uri, out var link, out var error) ? Verify(link!) : new CodeVerification(CodeVerificationStatus.Malformed, null, error);

    public CodeVerification Verify(DigitalLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var k = link.Attribute(KeyIdParameter);
        var m = link.Attribute(MacParameter);
        if (k is null || m is null)
        {
            return new CodeVerification(CodeVerificationStatus.Malformed, link, "the code carries no k and m parameters");
        }

        if (!int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var keyId) || !keys.TryGet(keyId, out var key))
        {
            return new CodeVerification(CodeVerificationStatus.UnknownKey, link, $"key id '{k}' is unknown");
        }

        Span<byte> presented = stackalloc byte[MacBytes + 3];
        if (m.Length != 16 || Base64Url.DecodeFromChars(m, presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != MacBytes)
        {
            return new CodeVerification(CodeVerificationStatus.BadMac, link, "the MAC is not 16 base64url characters");
        }

        var expected = Mac(key, link.CanonicalPath);
        return CryptographicOperations.FixedTimeEquals(expected, presented[..MacBytes])
            ? new CodeVerification(CodeVerificationStatus.Authentic, link, null)
            : new CodeVerification(CodeVerificationStatus.BadMac, link, "the MAC does not match");
    }

    private static byte[] Mac(byte[] key, string canonicalPath) =>
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(canonicalPath)).AsSpan(0, MacBytes).ToArray();
}
