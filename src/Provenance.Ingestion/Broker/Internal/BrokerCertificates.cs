using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Ingestion.Broker.Internal;

/// <summary>Loads the TLS listener's certificate and checks gateway client certificates against the configured CA. Thread-safe after construction.</summary>
internal sealed class BrokerCertificates : IDisposable
{
    private readonly X509Certificate2Collection _clientCas = [];
    private readonly bool _acceptSelfSigned;

    /// <param name="options">The listener's certificate and client CA settings.</param>
    /// <param name="acceptSelfSigned">
    /// IoT Hub's dialect is on: a self-signed client certificate passes the handshake, and the CONNECT decides by the
    /// thumbprint registered for the device (<see cref="ChainsToClientCa"/> tells the two kinds apart).
    /// </param>
    public BrokerCertificates(BrokerTlsOptions options, bool acceptSelfSigned = false)
    {
        _acceptSelfSigned = acceptSelfSigned;
        Server = LoadServerCertificate(options);
        if (!string.IsNullOrEmpty(options.ClientCaPath))
        {
            _clientCas.ImportFromPemFile(options.ClientCaPath);
            if (_clientCas.Count == 0)
            {
                throw new InvalidOperationException($"Broker:Tls:ClientCaPath '{options.ClientCaPath}' holds no PEM certificate");
            }
        }
    }

    public X509Certificate2 Server { get; }

    /// <summary>Whether certificates issued by a client CA are accepted (one is configured).</summary>
    public bool AcceptsClientCertificates => _clientCas.Count > 0;

    /// <summary>Whether the handshake asks for a client certificate at all.</summary>
    public bool RequestsClientCertificates => AcceptsClientCertificates || _acceptSelfSigned;

    /// <summary>
    /// The TLS handshake's check of a client certificate: none is fine unless one is required; a presented one must
    /// chain to a configured client CA (no other trust store) and be valid for client authentication, or, with IoT
    /// Hub's dialect on, be a valid self-signed certificate (the CONNECT then checks its registered thumbprint).
    /// </summary>
    public bool ValidateClient(X509Certificate? certificate, bool required)
    {
        if (certificate is null)
        {
            return !required;
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return ChainsToClientCa(presented) || (_acceptSelfSigned && IsValidSelfSigned(presented));
    }

    /// <summary>Whether the certificate chains to a configured client CA and may authenticate a client, now.</summary>
    public bool ChainsToClientCa(X509Certificate2 certificate) => AcceptsClientCertificates && Builds(certificate, _clientCas);

    private static bool IsValidSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) && Builds(certificate, [certificate]);

    private static bool Builds(X509Certificate2 certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }

    public SslServerAuthenticationOptions ServerOptions(bool requireClientCertificate) => new()
    {
        ServerCertificate = Server,
        ClientCertificateRequired = RequestsClientCertificates,
        RemoteCertificateValidationCallback = (_, certificate, _, _) => ValidateClient(certificate, requireClientCertificate),
        EncryptionPolicy = EncryptionPolicy.RequireEncryption,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    public void Dispose()
    {
        Server.Dispose();
        foreach (var ca in _clientCas)
        {
            ca.Dispose();
        }
    }

    private static X509Certificate2 LoadServerCertificate(BrokerTlsOptions options)
    {
        var path = options.CertificatePath ?? throw new InvalidOperationException("Broker:Tls:CertificatePath is required when Broker:Tls:Enabled is true");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var certificate = extension is ".pfx" or ".p12"
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.Password)
            : string.IsNullOrEmpty(options.Password)
                ? X509Certificate2.CreateFromPemFile(path, options.KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.Password, options.KeyPath);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"Broker:Tls:CertificatePath '{path}' has no private key; give it in the same file or in Broker:Tls:KeyPath");
        }

        // An ephemeral PEM key cannot serve TLS on every platform; a PKCS#12 round trip makes it usable.
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
