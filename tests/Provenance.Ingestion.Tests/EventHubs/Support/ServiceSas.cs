using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Provenance.Ingestion.Tests.EventHubs.Support;

/// <summary>
/// Checks an Event Hubs shared access signature as the service does:
/// <c>SharedAccessSignature sr={url-encoded resource}&amp;sig={HMAC-SHA256}&amp;se={expiry}&amp;skn={key name}</c>, the
/// signature computed with the policy's key (its UTF-8 text) over the encoded resource, a newline and the expiry; the
/// key name must be the policy's, the expiry in the future, and the resource a prefix of what is accessed.
/// </summary>
public sealed class ServiceSas(string keyName, string key)
{
    public string? Check(string? token, string audience)
    {
        const string prefix = "SharedAccessSignature ";
        if (token is null || !token.StartsWith(prefix, StringComparison.Ordinal))
        {
            return "not a shared access signature";
        }

        var fields = token[prefix.Length..].Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("sr", out var sr) || !fields.TryGetValue("sig", out var sig) || !fields.TryGetValue("se", out var se) || !fields.TryGetValue("skn", out var skn))
        {
            return "token lacks sr, sig, se or skn";
        }

        if (skn != keyName)
        {
            return $"unknown policy '{skn}'";
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key));
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(sr + "\n" + se));
        byte[] given;
        try
        {
            given = Convert.FromBase64String(WebUtility.UrlDecode(sig));
        }
        catch (FormatException)
        {
            return "signature is not base64";
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return "signature does not match";
        }

        if (!long.TryParse(se, out var expiry) || DateTimeOffset.FromUnixTimeSeconds(expiry) <= DateTimeOffset.UtcNow)
        {
            return "token expired";
        }

        var resource = WebUtility.UrlDecode(sr);
        return Normalise(audience).StartsWith(Normalise(resource), StringComparison.Ordinal) ? null : $"token for '{resource}' does not cover '{audience}'";
    }

    private static string Normalise(string uri) => uri.Replace("amqps://", "sb://", StringComparison.OrdinalIgnoreCase).ToLowerInvariant().TrimEnd('/');
}
