using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Ingestion.Tests.Boundary.Support;

/// <summary>A CA made at run time that issues the broker's TLS certificate (localhost) and gateway client certificates (CN = gateway id), written as PEM files.</summary>
public sealed class GatewayPki : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public GatewayPki(string directory, string name)
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaPath = Path.Combine(directory, $"{name}-ca.pem");
        File.WriteAllText(CaPath, Ca.ExportCertificatePem());
    }

    public X509Certificate2 Ca { get; }

    public string CaPath { get; }

    /// <summary>Issues the broker's certificate for localhost and writes it with its key; returns (certificate path, key path).</summary>
    public (string CertificatePath, string KeyPath) IssueServer(string directory)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        using var server = Issue("CN=localhost", "1.3.6.1.5.5.7.3.1", names.Build());
        var certificatePath = Path.Combine(directory, "broker.pem");
        var keyPath = Path.Combine(directory, "broker.key.pem");
        File.WriteAllText(certificatePath, server.ExportCertificatePem());
        File.WriteAllText(keyPath, server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>A client certificate whose subject common name is <paramref name="commonName"/>.</summary>
    public X509Certificate2 IssueClient(string commonName) => Issue($"CN={commonName}", "1.3.6.1.5.5.7.3.2", null);

    /// <summary>A self-signed client certificate (as a device vendor makes one per device for IoT Hub's thumbprint registration).</summary>
    public static X509Certificate2 SelfSignedClient(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(23));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
    }

    private X509Certificate2 Issue(string subject, string usage, X509Extension? san)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        using var issued = request.Create(Ca, DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddHours(23), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }
}
