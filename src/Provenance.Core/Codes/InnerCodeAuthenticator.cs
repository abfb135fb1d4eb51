namespace Provenance.Core.Codes;

/// <summary>
/// Signs and verifies a bottle's inner code, the secret one printed under the cap: the bottle's own Digital Link path
/// behind the segment <c>/in</c> (<c>https://{host}/in/01/{gtin}[/10/{lot}]/21/{serial}?k=..&amp;m=..</c>), with
/// <c>m</c> computed as for the outer code but under a key derived from the code key <c>k</c> (HKDF-SHA256, info
/// <see cref="KeyInfo"/>). The printed outer code therefore tells nothing about the inner MAC, and neither code verifies as
/// the other. Verification needs no database and compares in constant time. Thread-safe.
/// </summary>
public sealed class InnerCodeAuthenticator(CodeKeyRing keys)
{
    /// <summary>The path segment in front of the GS1 path that marks an inner code.</summary>
    public const string PathSegment = "in";

    /// <summary>The HKDF info string of the inner-code keys (the domain of inner MACs).</summary>
    public const string KeyInfo = "provenance inner code v1";

    private readonly CodeAuthenticator _macs = new((keys ?? throw new ArgumentNullException(nameof(keys))).Derive(System.Text.Encoding.ASCII.GetBytes(KeyInfo)));

    /// <summary>The inner-code URI of the bottle <paramref name="link"/> names (its outer code's link, any prefix replaced).</summary>
    public string Sign(DigitalLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return _macs.Sign(link with { PathPrefix = PathSegment });
    }

    public CodeVerification Verify(string uri) =>
        DigitalLink.TryParse(uri, out var link, out var error) ? Verify(link!) : new CodeVerification(CodeVerificationStatus.Malformed, null, error);

    /// <summary>Authentic only for a link behind <c>/in</c> whose MAC verifies under the derived key.</summary>
    public CodeVerification Verify(DigitalLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return link.PathPrefix == PathSegment
            ? _macs.Verify(link)
            : new CodeVerification(CodeVerificationStatus.Malformed, link, $"an inner code's path starts with /{PathSegment}/");
    }
}
