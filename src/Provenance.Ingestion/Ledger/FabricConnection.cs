using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Provenance.Fabric;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// The gRPC channel, signing keys and <see cref="Fabric.Gateway"/>s of the <c>fabric</c> ledger engine, built from
/// <see cref="FabricLedgerOptions"/>: the provenance contract as the recording identity (<see cref="Contract"/>: seals
/// and queries) and, when configured, as the admin identity (<see cref="AdminContract"/>: the gateway registry).
/// Owns and disposes the channel and keys. Thread-safe.
/// </summary>
public sealed class FabricConnection : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly List<IDisposable> _owned;

    private FabricConnection(GrpcChannel channel, List<IDisposable> owned, Contract contract, Contract? adminContract)
    {
        _channel = channel;
        _owned = owned;
        Contract = contract;
        AdminContract = adminContract;
    }

    /// <summary>The gateway of the recording identity (to rebuild a stored transaction and submit it again).</summary>
    public Gateway Gateway => Contract.Network.Gateway;

    /// <summary>The provenance chaincode on the configured channel, as the identity that records seals.</summary>
    public Contract Contract { get; }

    /// <summary>The same chaincode as the admin identity, or null when none is configured.</summary>
    public Contract? AdminContract { get; }

    /// <summary>Reads the identity, key and TLS files and opens a (lazily connecting) channel to the peer.</summary>
    public static FabricConnection Open(FabricLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.EndpointUri ?? throw new ArgumentException("Ledger:Fabric:Endpoint is required: https://host:port or host:port.", nameof(options));
        var mspId = options.MspId ?? throw new ArgumentException("Ledger:Fabric:MspId is required.", nameof(options));
        var owned = new List<IDisposable>();
        try
        {
            X509Certificate2? clientCertificate = options.ClientCertificatePath is { } certPath && options.ClientKeyPath is { } keyPath
                ? X509Certificate2.CreateFromPemFile(certPath, keyPath)
                : null;
            if (clientCertificate is not null)
            {
                owned.Add(clientCertificate);
            }

            FabricTlsOptions? tls = endpoint.Scheme == Uri.UriSchemeHttps
                ? new FabricTlsOptions
                {
                    RootCertificates = options.TlsCaPath is { } ca ? FabricTlsOptions.LoadRootCertificates(File.ReadAllText(ca)) : [],
                    ServerNameOverride = options.ServerNameOverride,
                    ClientCertificate = clientCertificate,
                }
                : null;
            var channel = FabricChannelFactory.Create(endpoint, tls);
            owned.Add(channel);
            var contract = NewContract(channel, options, mspId, options.CertificatePath, options.PrivateKeyPath, "", owned);
            var admin = options.AdminCertificatePath is not null
                ? NewContract(channel, options, mspId, options.AdminCertificatePath, options.AdminPrivateKeyPath, "Admin", owned)
                : null;
            return new FabricConnection(channel, owned, contract, admin);
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _channel.Dispose();
        _owned.ForEach(o => o.Dispose());
    }

    private static Contract NewContract(
        GrpcChannel channel, FabricLedgerOptions options, string mspId, string? certificatePath, string? keyPath, string prefix, List<IDisposable> owned)
    {
        var key = ECDsa.Create();
        owned.Add(key);
        key.ImportFromPem(File.ReadAllText(keyPath ?? throw new ArgumentException($"Ledger:Fabric:{prefix}PrivateKeyPath is required.", nameof(options))));
        var identity = Identity.FromPem(mspId, File.ReadAllText(certificatePath ?? throw new ArgumentException($"Ledger:Fabric:{prefix}CertificatePath is required.", nameof(options))));
        var gateway = new Gateway(channel, identity, Signers.NewPrivateKeySigner(key), options.ToGatewayOptions());
        return gateway.GetNetwork(options.Channel).GetContract(options.Chaincode);
    }
}
