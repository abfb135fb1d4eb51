using System.Security.Cryptography;

namespace Provenance.Core.Signing;

/// <summary>P-256 key handling for gateways: new keys, PEM import/export (SPKI public, PKCS#8 private).</summary>
public static class GatewayKeys
{
    public static ECDsa Create() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The object identifier of the NIST P-256 curve (secp256r1, prime256v1).</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>
    /// Imports a gateway public key under the rule set shared with the chaincode: exactly one PEM block labelled
    /// <c>PUBLIC KEY</c> holding an SPKI of an EC key on the named curve P-256 with an uncompressed point, in canonical
    /// DER. Any other curve of 256 bits (secp256k1, brainpool), RSA, Ed25519, a certificate or a private key is refused.
    /// Throws <see cref="ArgumentException"/> with the reason.
    /// </summary>
    public static ECDsa ImportPublicKeyPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || pem.AsSpan(fields.Location)[fields.Label] is not "PUBLIC KEY")
        {
            throw new ArgumentException("not a PEM public key: expected one '-----BEGIN PUBLIC KEY-----' block (SPKI)", nameof(pem));
        }

        if (pem.AsSpan(fields.Location.End).Contains("-----BEGIN", StringComparison.Ordinal)
            || pem.AsSpan(0, fields.Location.Start.GetOffset(pem.Length)).Contains("-----BEGIN", StringComparison.Ordinal))
        {
            throw new ArgumentException("not a PEM public key: the text holds more than one PEM block", nameof(pem));
        }

        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64String(pem[fields.Base64Data], der, out var written) || written != der.Length)
        {
            throw new ArgumentException("not a PEM public key: the PEM body is not base64", nameof(pem));
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(der, out var read);
            var curve = key.ExportParameters(false).Curve;
            if (read != der.Length || !curve.IsNamed || curve.Oid.Value != P256Oid)
            {
                throw new CryptographicException("the key is not on the named curve P-256");
            }

            if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(der))
            {
                throw new CryptographicException("the SPKI is not the canonical uncompressed encoding");
            }
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException($"gateway keys must be EC P-256 (ES256) public keys: {e.Message}", nameof(pem), e);
        }

        return key;
    }

    public static string ExportPublicKeyPem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    public static string ExportPrivateKeyPem(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>A short stable fingerprint of a public key: base64url SHA-256 of the SPKI DER, first 16 chars.</summary>
    public static string Fingerprint(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
        return System.Buffers.Text.Base64Url.EncodeToString(hash)[..16];
    }
}
