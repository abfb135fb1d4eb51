using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Provenance.Ingestion.IotHub;

/// <summary>
/// An Azure IoT Hub device SAS token, <c>SharedAccessSignature sr={url-encoded resource}&amp;sig={url-encoded
/// base64 HMAC}&amp;se={expiry, Unix seconds}</c>, as the device SDKs make it from a device's symmetric key: the
/// HMAC-SHA256 of the url-encoded resource exactly as sent, a newline and the expiry.
/// </summary>
public sealed record SasToken(string EncodedResource, string Resource, string Signature, string ExpiryText, long Expiry, string? KeyName)
{
    private const string Prefix = "SharedAccessSignature ";
    private const int MaxLength = 4096;

    /// <summary>Reads a token; false with a reason when it is not one.</summary>
    public static bool TryParse(string? text, out SasToken token, out string error)
    {
        token = null!;
        if (text is null || text.Length > MaxLength || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = "the password is not an IoT Hub SAS token ('SharedAccessSignature sr=…&sig=…&se=…')";
            return false;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text[Prefix.Length..].Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !fields.TryAdd(pair[..equals], pair[(equals + 1)..]))
            {
                error = "the SAS token has a malformed or repeated field";
                return false;
            }
        }

        if (!fields.TryGetValue("sr", out var sr) || !fields.TryGetValue("sig", out var sig) || !fields.TryGetValue("se", out var se))
        {
            error = "the SAS token lacks sr, sig or se";
            return false;
        }

        if (!long.TryParse(se, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            error = "the SAS token's se is not an expiry in Unix seconds";
            return false;
        }

        token = new SasToken(sr, Uri.UnescapeDataString(sr), Uri.UnescapeDataString(sig), se, expiry, fields.GetValueOrDefault("skn"));
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Checks the token for <paramref name="expectedResource"/> (<c>{hub host}/devices/{device id}</c>) with the
    /// device's key: null when it holds, else why not (a wrong resource, expiry, or signature).
    /// </summary>
    public string? Check(string expectedResource, byte[] deviceKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deviceKey);
        var signatureOk = SignatureMatches(deviceKey);
        if (KeyName is not null)
        {
            return "the SAS token names a shared access policy (skn); a device connects with a token made from its own device key";
        }

        if (!string.Equals(Resource, expectedResource, StringComparison.OrdinalIgnoreCase))
        {
            return $"the SAS token is for '{Bounded(Resource)}', not '{expectedResource}'";
        }

        if (Expiry <= now.ToUnixTimeSeconds())
        {
            return $"the SAS token expired at {DateTimeOffset.FromUnixTimeSeconds(Math.Max(0, Math.Min(Expiry, 253402300799))):O}; make a new one";
        }

        return signatureOk ? null : "the SAS token's signature does not match the device key";
    }

    /// <summary>The signature the device key gives this token's resource and expiry (base64), as a device SDK computes it.</summary>
    public static string Sign(byte[] deviceKey, string encodedResource, string expiry) =>
        Convert.ToBase64String(HMACSHA256.HashData(deviceKey, Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry)));

    private bool SignatureMatches(byte[] deviceKey)
    {
        var expected = HMACSHA256.HashData(deviceKey, Encoding.UTF8.GetBytes(EncodedResource + "\n" + ExpiryText));
        var actual = new byte[64];
        return Convert.TryFromBase64String(Signature, actual, out var written) && CryptographicOperations.FixedTimeEquals(expected, actual.AsSpan(0, written));
    }

    private static string Bounded(string text) => text.Length <= 128 ? text : text[..128] + "…";
}
