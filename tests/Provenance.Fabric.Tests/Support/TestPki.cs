using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Fabric.Tests.Support;

/// <summary>
/// A TLS CA made at run time with a server certificate for <see cref="ServerName"/> (deliberately not 127.0.0.1, so
/// the client must override the name) and a client certificate for mutual TLS.
/// </summary>
internal sealed class TestPki : IDisposable
{
    public const string ServerName = "peer0.org1.example.com";

    private TestPki(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        CaCertificate = ca;
        ServerCertificate = server;
        ClientCertificate = client;
    }

    public X509Certificate2 CaCertificate { get; }

    public X509Certificate2 ServerCertificate { get; }

    public X509Certificate2 ClientCertificate { get; }

    public string CaPem => CaCertificate.ExportCertificatePem();

    public static TestPki Create(string caName = "tlsca.org1.example.com")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);
        var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var server = Issue(ca, $"CN={ServerName}", "1.3.6.1.5.5.7.3.1", san: ServerName);
        var client = Issue(ca, "CN=client.org1.example.com", "1.3.6.1.5.5.7.3.2", san: null);
        return new TestPki(X509CertificateLoader.LoadCertificate(ca.RawData), server, client);
    }

    public void Dispose()
    {
        CaCertificate.Dispose();
        ServerCertificate.Dispose();
        ClientCertificate.Dispose();
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string extendedUsageOid, string? san)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedUsageOid)], false));
        if (san is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(san);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddHours(23), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }
}
