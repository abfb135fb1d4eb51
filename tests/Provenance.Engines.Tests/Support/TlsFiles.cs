using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Provenance.Host.Tests.Support;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// A private CA and a broker certificate it signed (PEM files in a temporary directory), as a plant would make for its
/// mosquitto: the certificate names the broker by the IP address and/or DNS names given.
/// </summary>
internal sealed class TlsFiles : IDisposable
{
    private readonly TempDirectory _dir = new("prov-tls");

    private TlsFiles()
    {
    }

    public string CaPath => _dir.Combine("ca.crt");

    public string CertificatePath => _dir.Combine("server.crt");

    public string KeyPath => _dir.Combine("server.key");

    public static TlsFiles Create(IPAddress[] addresses, string[] dnsNames)
    {
        var files = new TlsFiles();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Provenance test plant CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mosquitto", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(files.CaPath, ca.ExportCertificatePem());
        File.WriteAllText(files.CertificatePath, server.ExportCertificatePem());
        File.WriteAllText(files.KeyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return files;
    }

    public void Dispose() => _dir.Dispose();
}
