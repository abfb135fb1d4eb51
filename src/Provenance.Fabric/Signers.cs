using System.Security.Cryptography;
using Provenance.Fabric.Internal;

namespace Provenance.Fabric;

/// <summary>
/// Creates signers for <see cref="Gateway"/>: functions that sign a digest and return an ASN.1 DER, low-S ECDSA
/// signature, the only form a Fabric peer accepts. A hardware security module or remote signer can be plugged in
/// instead with any function of the same shape (it must return DER, low-S). The signers returned are thread-safe.
/// </summary>
public static class Signers
{
    /// <summary>
    /// A signer over an ECDSA P-256 or P-384 private key. The key stays owned by the caller and must outlive the signer.
    /// </summary>
    public static Func<byte[], CancellationToken, Task<byte[]>> NewPrivateKeySigner(ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var order = EcdsaSignature.CurveOrder(privateKey);
        var gate = new Lock();
        return (digest, cancellationToken) =>
        {
            ArgumentNullException.ThrowIfNull(digest);
            cancellationToken.ThrowIfCancellationRequested();
            byte[] p1363;
            lock (gate)
            {
                p1363 = privateKey.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }

            return Task.FromResult(EcdsaSignature.P1363ToLowSDer(p1363, order));
        };
    }

    /// <summary>
    /// A signer over a PEM private key (PKCS#8 <c>PRIVATE KEY</c> or SEC1 <c>EC PRIVATE KEY</c>). The imported key lives
    /// as long as the signer.
    /// </summary>
    public static Func<byte[], CancellationToken, Task<byte[]>> NewPrivateKeySigner(string privateKeyPem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyPem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(privateKeyPem);
        }
        catch (ArgumentException ex)
        {
            key.Dispose();
            throw new ArgumentException("The private key PEM holds no ECDSA key (expected PKCS#8 'PRIVATE KEY' or SEC1 'EC PRIVATE KEY').", nameof(privateKeyPem), ex);
        }

        return NewPrivateKeySigner(key);
    }
}
