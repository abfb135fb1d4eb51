using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Provenance.Api.Pages.Text;
using Provenance.Core.Signing;
using Provenance.Fabric;

namespace Provenance.Api.Pages;

/// <summary>
/// The "check it on this phone" section of a sealed bottle's page: <c>/assets/proof-check.js</c> fetches the proof
/// bundle and checks it with WebCrypto, and fills this section in. The trust anchor is the ledger (node) key the page
/// carries, shown here by its fingerprint so that it can be compared with the key the producer publishes; for a record on
/// Hyperledger Fabric, the CA certificates of the network's MSPs this node is configured with (<c>Ledger:Fabric:MspPath</c>),
/// shown by their SHA-256 fingerprints. Without the script the section stays hidden: nothing claims a check that did not run.
/// </summary>
internal static class ProofCheckSection
{
    /// <summary>True when the scanned code has a sealing to prove (a ledger part in the scan).</summary>
    public static bool Applies(JsonElement scan) => scan.Object("ledger") is not null && scan.Object("code") is not null;

    public static void Render(StringBuilder sb, PageText text, string? nodeKeyPem, MspTrust? fabricTrust = null)
    {
        var h = HtmlEncoder.Default;
        sb.Append("<section id=\"proof-check\" data-state=\"idle\" hidden><h2>").Append(h.Encode(text["proof.heading"])).Append("</h2>")
          .Append("<p id=\"proof-status\" aria-live=\"polite\"></p><ul id=\"proof-parts\"></ul>");
        if (Fingerprint(nodeKeyPem) is { } fingerprint)
        {
            sb.Append("<p class=\"muted\" id=\"proof-anchor\">").Append(h.Encode(text.Format("proof.anchor", ("key", fingerprint)))).Append("</p>");
        }

        if (fabricTrust is not null)
        {
            var cas = string.Join(text["proof.separator"], fabricTrust.RootCertificates.Select(c => Convert.ToBase64String(SHA256.HashData(c))[..16]));
            sb.Append("<p class=\"muted\" id=\"proof-fabric-anchor\">").Append(h.Encode(text.Format("proof.fabricAnchor", ("cas", cas)))).Append("</p>");
        }

        sb.Append("</section>");
    }

    /// <summary>The page data the script reads: the ledger key it trusts and the Fabric MSP CA certificates (base64 DER).</summary>
    public static string Data(string? nodeKeyPem, MspTrust? fabricTrust = null) =>
        "{\"nodeKey\":" + (nodeKeyPem is null ? "null" : JsonSerializer.Serialize(nodeKeyPem, PageJsonContext.Default.String))
        + ",\"fabric\":" + (fabricTrust is null ? "null" : "{\"roots\":" + Certificates(fabricTrust.RootCertificates) + ",\"intermediates\":" + Certificates(fabricTrust.IntermediateCertificates) + "}") + "}";

    private static string Certificates(IReadOnlyList<byte[]> certificates) =>
        "[" + string.Join(",", certificates.Select(c => "\"" + Convert.ToBase64String(c) + "\"")) + "]";

    // The node key changes only with a new installation: its fingerprint is kept, not recomputed on every page (importing
    // the key was the costliest step of rendering a consumer's page).
    private static KeyFingerprint? _lastFingerprint;

    private static string? Fingerprint(string? pem)
    {
        if (pem is null)
        {
            return null;
        }

        if (Volatile.Read(ref _lastFingerprint) is { } last && string.Equals(last.Pem, pem, StringComparison.Ordinal))
        {
            return last.Fingerprint;
        }

        string? fingerprint;
        try
        {
            using var key = GatewayKeys.ImportPublicKeyPem(pem);
            fingerprint = GatewayKeys.Fingerprint(key);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or FormatException)
        {
            fingerprint = null;
        }

        Volatile.Write(ref _lastFingerprint, new KeyFingerprint(pem, fingerprint));
        return fingerprint;
    }

    private sealed record KeyFingerprint(string Pem, string? Fingerprint);
}
