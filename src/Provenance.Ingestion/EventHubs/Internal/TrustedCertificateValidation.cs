using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Ingestion.EventHubs.Internal;

/// <summary>
/// Accepts a server certificate that the system trusts, or that chains to one of the CAs in a PEM file. Only chain
/// errors are forgiven for those CAs: a certificate that does not match the host name is refused either way.
/// </summary>
internal static class TrustedCertificateValidation
{
    public static RemoteCertificateValidationCallback? FromPemFile(string? caPath)
    {
        if (string.IsNullOrEmpty(caPath))
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"EventHubs:TrustedCaPath '{caPath}' cannot be read as PEM certificates: {e.Message}", e);
        }

        if (roots.Count == 0)
        {
            throw new InvalidOperationException($"EventHubs:TrustedCaPath '{caPath}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }

        return (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
            {
                return false;
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            return custom.Build(leaf);
        };
    }
}
