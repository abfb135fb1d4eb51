using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Provenance.Api.Epcis;

/// <summary>
/// The opaque <c>nextPageToken</c>: the position after which the next page starts, bound to the query and the caller
/// it was issued for (a token replayed with other filters or by someone else is refused). Tokens do not expire:
/// the repository only grows, so a position stays meaningful.
/// </summary>
internal static class EpcisPageToken
{
    public static string Create(long afterSequence, string queryFingerprint) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{afterSequence.ToString(CultureInfo.InvariantCulture)}.{queryFingerprint}"));

    public static bool TryRead(string token, string queryFingerprint, out long afterSequence)
    {
        afterSequence = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && text[(dot + 1)..] == queryFingerprint
                && long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out afterSequence);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A short digest of the query's filters and the caller.</summary>
    public static string Fingerprint(IEnumerable<KeyValuePair<string, string>> filters, string caller)
    {
        var canonical = string.Join('&', filters.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")) + "#" + caller;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)).AsSpan(0, 8));
    }
}
