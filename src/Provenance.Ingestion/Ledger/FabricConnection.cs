using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Provenance.Fabric;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// The gRPC channel, signing key and <see cref="Fabric.Gateway"/> of the <c>fabric</c> ledger engine, built from
/// <see cref="FabricLedgerOptions"/>, and the provenance contract on the configured channel. Owns and disposes the
/// channel and keys. Thread-safe.
/// </summary>
public sealed class FabricConnection : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ECDsa _signingKey;
    private readonly X509Certificate2? _clientCertificate;

    private FabricConnection(GrpcChannel channel, ECDsa signingKey, X509Certificate2? clientCertificate, Gateway gateway, string channelName, string chaincode)
    {
        _channel = channel;
        _signingKey = signingKey;
        _clientCertificate = clientCertificate;
        Gateway = gateway;
        Contract = gateway.GetNetwork(channelName).GetContract(chaincode);
    }

    /// <summary>The gateway for the configured identity.</summary>
    public Gateway Gateway { get; }

    /// <summary>The provenance chaincode on the configured channel.</summary>
    public Contract Contract { get; }

    /// <summary>Reads the identity, key and TLS files and opens a (lazily connecting) channel to the peer.</summary>
    public static FabricConnection Open(FabricLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.Endpoint ?? throw new ArgumentException("Ledger:Fabric:Endpoint is required.", nameof(options));
        X509Certificate2? clientCertificate = options.ClientCertificatePath is { } certPath && options.ClientKeyPath is { } keyPath
            ? X509Certificate2.CreateFromPemFile(certPath, keyPath)
            : null;
        FabricTlsOptions? tls = endpoint.Scheme == Uri.UriSchemeHttps
            ? new FabricTlsOptions
            {
                RootCertificates = options.TlsCaPath is { } ca ? FabricTlsOptions.LoadRootCertificates(File.ReadAllText(ca)) : [],
                ServerNameOverride = options.ServerNameOverride,
                ClientCertificate = clientCertificate,
            }
            : null;
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(options.PrivateKeyPath ?? throw new ArgumentException("Ledger:Fabric:PrivateKeyPath is required.", nameof(options))));
            var identity = Identity.FromPem(
                options.MspId ?? throw new ArgumentException("Ledger:Fabric:MspId is required.", nameof(options)),
                File.ReadAllText(options.CertificatePath ?? throw new ArgumentException("Ledger:Fabric:CertificatePath is required.", nameof(options))));
            var channel = FabricChannelFactory.Create(endpoint, tls);
            var gateway = new Gateway(channel, identity, Signers.NewPrivateKeySigner(key), options.ToGatewayOptions());
            return new FabricConnection(channel, key, clientCertificate, gateway, options.Channel, options.Chaincode);
        }
        catch
        {
            key.Dispose();
            clientCertificate?.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _channel.Dispose();
        _signingKey.Dispose();
        _clientCertificate?.Dispose();
    }
}
