using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Provenance.Fabric.Protos.Common;
using Provenance.Fabric.Protos.Msp;

namespace Provenance.Fabric.Internal;

/// <summary>Fabric's signing conventions for proofs: the signed block header bytes, X.509 identities, ECDSA over SHA-256. Stateless.</summary>
internal static class FabricSigning
{
    /// <summary>The bytes an orderer signs for a header: ASN.1 DER SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }.</summary>
    internal static byte[] HeaderBytes(BlockHeader header)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(header.Number);
            writer.WriteOctetString(header.PreviousHash.Span);
            writer.WriteOctetString(header.DataHash.Span);
        }

        return writer.Encode();
    }

    internal static (X509Certificate2? Certificate, string? Problem) Certificate(SerializedIdentity identity)
    {
        try
        {
            return (X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(identity.IdBytes.Span)), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return (null, e.Message);
        }
    }

    internal static bool VerifySignature(X509Certificate2 certificate, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = certificate.GetECDsaPublicKey();
        try
        {
            return key is not null && key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
