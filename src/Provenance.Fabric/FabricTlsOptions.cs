using System.Security.Cryptography.X509Certificates;

namespace Provenance.Fabric;

/// <summary>TLS settings for a gateway peer connection. Not thread-safe to mutate; treat as immutable once used.</summary>
public sealed class FabricTlsOptions
{
    /// <summary>
    /// The CA certificates to trust for the peer's TLS certificate (the organisation's TLS CA bundle). Only these are
    /// trusted; the system store is not consulted. Empty means the system's default trust.
    /// </summary>
    public X509Certificate2Collection RootCertificates { get; init; } = [];

    /// <summary>The name to verify the peer's certificate against instead of the endpoint's host (e.g. <c>peer0.org1.example.com</c>).</summary>
    public string? ServerNameOverride { get; init; }

    /// <summary>The client's TLS certificate, with its private key, for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Reads a CA bundle (one or more PEM certificates).</summary>
    public static X509Certificate2Collection LoadRootCertificates(string caBundlePem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caBundlePem);
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(caBundlePem);
        if (collection.Count == 0)
        {
            throw new ArgumentException("The CA bundle holds no PEM certificate.", nameof(caBundlePem));
        }

        return collection;
    }
}
