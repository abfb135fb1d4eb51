using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Fabric.Tests.Support;

/// <summary>A client identity made at run time: a self-signed P-256 certificate, its key and a signer. No key material is committed.</summary>
internal sealed class TestCredentials : IDisposable
{
    private TestCredentials(string mspId, ECDsa key, X509Certificate2 certificate)
    {
        Key = key;
        Certificate = certificate;
        Identity = Identity.FromCertificate(mspId, certificate);
        Signer = Signers.NewPrivateKeySigner(key);
    }

    public ECDsa Key { get; }

    public X509Certificate2 Certificate { get; }

    public Identity Identity { get; }

    public Func<byte[], CancellationToken, Task<byte[]>> Signer { get; }

    public static TestCredentials Create(string mspId = "Org1MSP", string commonName = "User1@org1.example.com")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O={mspId}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return new TestCredentials(mspId, key, certificate);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
