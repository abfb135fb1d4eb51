namespace Provenance.Host.Tests.Proofs;

/// <summary>Small, precise changes a dishonest server could make to a proof bundle's signed or hashed texts.</summary>
internal static class BundleTampering
{
    /// <summary>A compact JWS with one character of its signature changed (still canonical base64url).</summary>
    public static string FlipSignature(string jws)
    {
        var dot = jws.LastIndexOf('.');
        var chars = jws.ToCharArray();
        chars[dot + 5] = chars[dot + 5] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    /// <summary>Hex with the digit at <paramref name="at"/> changed.</summary>
    public static string FlipHex(string hex, int at)
    {
        var chars = hex.ToCharArray();
        chars[at] = chars[at] == '0' ? '1' : '0';
        return new string(chars);
    }
}
