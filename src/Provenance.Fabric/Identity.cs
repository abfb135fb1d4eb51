using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using Provenance.Fabric.Protos.Msp;

namespace Provenance.Fabric;

/// <summary>
/// A client identity: an X.509 certificate (PEM) and the id of the MSP (organisation) that issued it, serialised as
/// Fabric's <c>msp.SerializedIdentity</c>. Immutable and thread-safe.
/// </summary>
public sealed class Identity
{
    private readonly byte[] _credentials;
    private readonly byte[] _serialized;

    private Identity(string mspId, byte[] credentials)
    {
        MspId = mspId;
        _credentials = credentials;
        _serialized = new SerializedIdentity
        {
            Mspid = mspId,
            IdBytes = ByteString.CopyFrom(credentials),
        }.ToByteArray();
    }

    /// <summary>The MSP id, e.g. <c>Org1MSP</c>.</summary>
    public string MspId { get; }

    /// <summary>The certificate PEM bytes, exactly as sent to peers.</summary>
    public ReadOnlyMemory<byte> Credentials => _credentials;

    /// <summary>Creates an identity from a certificate PEM.</summary>
    public static Identity FromPem(string mspId, string certificatePem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mspId);
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePem);
        if (!certificatePem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new ArgumentException("The certificate is not PEM (no '-----BEGIN CERTIFICATE-----').", nameof(certificatePem));
        }

        return new Identity(mspId, Encoding.UTF8.GetBytes(certificatePem));
    }

    /// <summary>Creates an identity from a certificate (its public part only is used).</summary>
    public static Identity FromCertificate(string mspId, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FromPem(mspId, certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>The serialised <c>msp.SerializedIdentity</c>: the transaction creator.</summary>
    internal byte[] Serialize() => _serialized;
}
