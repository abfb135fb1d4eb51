using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Core.Gateways;

/// <summary>
/// Decides whether an MQTT broker's TLS certificate is trusted: the name check (DNS name or IP address in the
/// subjectAltName, against the host the client dialled) must pass, and the chain must end either in a system root or in
/// the one CA the operator configured (a private plant CA). Thread-safe.
/// </summary>
public static class BrokerCertificate
{
    /// <summary>
    /// True when <paramref name="certificate"/> (presented for the host the client asked for) is acceptable:
    /// <paramref name="errors"/> holds no name mismatch, and the chain is valid with the system roots or with
    /// <paramref name="trustedRoot"/> as the only custom root.
    /// </summary>
    public static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2? trustedRoot)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (trustedRoot is null)
        {
            return false;
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trustedRoot);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(presented);
    }
}
