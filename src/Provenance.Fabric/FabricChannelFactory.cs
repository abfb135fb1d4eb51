using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Provenance.Fabric;

/// <summary>
/// Builds gRPC channels to gateway peers: plain HTTP/2 for <c>http://</c> endpoints, TLS for <c>https://</c> with a
/// custom CA bundle, optional client certificate (mutual TLS) and server name override. The caller owns and disposes
/// the channel. Thread-safe.
/// </summary>
public static class FabricChannelFactory
{
    /// <summary>Creates a channel to <paramref name="endpoint"/>.</summary>
    public static GrpcChannel Create(Uri endpoint, FabricTlsOptions? tls = null, GrpcChannelOptions? channelOptions = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (tls is not null && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"TLS options need an https:// endpoint; got '{endpoint}'.", nameof(endpoint));
        }

        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (tls is not null)
        {
            handler.SslOptions = CreateSslOptions(tls);
        }

        var options = channelOptions ?? new GrpcChannelOptions();
        options.HttpHandler = handler;
        options.DisposeHttpClient = true;
        return GrpcChannel.ForAddress(endpoint, options);
    }

    private static SslClientAuthenticationOptions CreateSslOptions(FabricTlsOptions tls)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (tls.RootCertificates.Count > 0)
        {
            ssl.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(tls.RootCertificates);
        }

        if (tls.ServerNameOverride is { } serverName)
        {
            // The handler sets the SNI/target host from the URI; verify the certificate against the override instead.
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || (errors == SslPolicyErrors.RemoteCertificateNameMismatch
                    && certificate is X509Certificate2 peer
                    && peer.MatchesHostname(serverName));
        }

        if (tls.ClientCertificate is { } clientCertificate)
        {
            if (!clientCertificate.HasPrivateKey)
            {
                throw new ArgumentException("The client TLS certificate has no private key.", nameof(tls));
            }

            ssl.ClientCertificates = [clientCertificate];
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        return ssl;
    }
}
