using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using Provenance.Ingestion.Broker;
using Provenance.Ingestion.Tests.Boundary.Support;

namespace Provenance.Ingestion.Tests.Boundary;

/// <summary>
/// The embedded broker over TLS with a configured certificate, and X.509 client certificates (issued by the
/// configured CA, common name = gateway id) as an alternative to the MQTT secret.
/// </summary>
public sealed class BrokerTlsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("prov-tls-").FullName;
    private GatewayPki _pki = null!;
    private GatewayPki _stranger = null!;
    private BrokerRig _rig = null!;

    public async Task InitializeAsync()
    {
        _pki = new GatewayPki(_directory, "plant-ca");
        _stranger = new GatewayPki(_directory, "stranger-ca");
        var (certificate, key) = _pki.IssueServer(_directory);
        _rig = await BrokerRig.StartAsync(new EmbeddedBrokerOptions
        {
            Port = 0,
            Tls = new BrokerTlsOptions { Enabled = true, Port = 0, CertificatePath = certificate, KeyPath = key, ClientCaPath = _pki.CaPath },
        });
    }

    [Fact]
    public async Task A_gateway_seals_over_tls_with_its_secret()
    {
        var gateway = _rig.AddGateway("gw-tls-secret");

        using var client = await ConnectAsync(gateway, _rig.Secret(gateway), certificate: null);

        await _rig.SealAndConfirmAsync(client, gateway);
        Assert.NotEqual(_rig.Broker.Port, _rig.Broker.TlsPort);
    }

    [Fact]
    public async Task A_gateway_seals_with_a_client_certificate_naming_it_and_no_secret()
    {
        var gateway = _rig.AddGateway("gw-tls-cert");
        using var certificate = _pki.IssueClient(gateway);

        using var client = await ConnectAsync(gateway, secret: null, certificate);

        await _rig.SealAndConfirmAsync(client, gateway);
    }

    [Fact]
    public async Task A_client_certificate_naming_another_gateway_is_refused()
    {
        var gateway = _rig.AddGateway("gw-tls-imposter");
        var victim = _rig.AddGateway("gw-tls-victim");
        using var certificate = _pki.IssueClient(victim);

        var result = await TryConnectAsync(gateway, secret: null, certificate);

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result);
    }

    [Fact]
    public async Task A_client_certificate_from_another_ca_fails_the_handshake()
    {
        var gateway = _rig.AddGateway("gw-tls-stranger");
        using var certificate = _stranger.IssueClient(gateway);

        await Assert.ThrowsAnyAsync<Exception>(() => TryConnectAsync(gateway, secret: null, certificate));
    }

    [Fact]
    public async Task A_revoked_gateway_is_refused_even_with_a_valid_certificate()
    {
        var gateway = _rig.AddGateway("gw-tls-revoked");
        using var certificate = _pki.IssueClient(gateway);
        _rig.Registry.RevokeGateway(gateway, "test");

        Assert.Equal(MqttClientConnectResultCode.Banned, await TryConnectAsync(gateway, secret: null, certificate));
    }

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        _pki.Dispose();
        _stranger.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<IMqttClient> ConnectAsync(string gateway, string? secret, X509Certificate2? certificate)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(gateway, secret, certificate));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private async Task<MqttClientConnectResultCode> TryConnectAsync(string gateway, string? secret, X509Certificate2? certificate)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        return (await client.ConnectAsync(Options(gateway, secret, certificate))).ResultCode;
    }

    private MqttClientOptions Options(string gateway, string? secret, X509Certificate2? certificate)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(gateway)
            .WithEndPoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _rig.Broker.TlsPort))
            .WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost("localhost").WithTrustChain([_pki.Ca]);
                if (certificate is not null)
                {
                    tls.WithClientCertificates([certificate]);
                }
            });
        if (secret is not null)
        {
            builder.WithCredentials(gateway, secret);
        }

        return builder.Build();
    }
}
