using System.Security.Cryptography;

namespace Provenance.Core.Signing;

/// <summary>P-256 key handling for gateways: new keys, PEM import/export (SPKI public, PKCS#8 private).</summary>
public static class GatewayKeys
{
    public static ECDsa Create() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Imports a P-256 public key from PEM (SPKI "PUBLIC KEY"); throws <see cref="ArgumentException"/> with the reason otherwise.</summary>
    public static ECDsa ImportPublicKeyPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ArgumentException($"not a PEM public key: {e.Message}", nameof(pem), e);
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new ArgumentException($"gateway keys must be P-256 (ES256); this key has {key.KeySize} bits", nameof(pem));
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
