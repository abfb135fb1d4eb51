using System.Net;
using MQTTnet;
using MQTTnet.Formatter;
using Provenance.Ingestion.Broker;
using Provenance.Ingestion.IotHub;

namespace Provenance.Ingestion.Tests.Boundary.Support;

/// <summary>
/// One <see cref="BrokerRig"/> with a TLS listener (certificate from a CA made at test time) and IoT Hub's dialect on,
/// shared by a test class; devices connect as an IoT Hub device SDK does (MQTT 3.1.1, SAS token as password).
/// </summary>
public sealed class IotHubRigFixture : IAsyncLifetime
{
    public const string HubHost = "plant-1.azure-devices.net";

    private readonly string _directory = Directory.CreateTempSubdirectory("prov-iothub-").FullName;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private GatewayPki _pki = null!;
    private int _gateways;

    public BrokerRig Rig { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _pki = new GatewayPki(_directory, "plant-ca");
        var (certificate, key) = _pki.IssueServer(_directory);
        Rig = await BrokerRig.StartAsync(new EmbeddedBrokerOptions
        {
            Port = 0,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            Tls = new BrokerTlsOptions { Enabled = true, Port = 0, CertificatePath = certificate, KeyPath = key, ClientCaPath = _pki.CaPath },
            IotHub = new IotHubDialectOptions { HostName = HubHost },
        });
    }

    /// <summary>A fresh gateway registered with a device key.</summary>
    public string NewDevice(string prefix)
    {
        var id = Rig.AddGateway($"{prefix}-{Interlocked.Increment(ref _gateways)}");
        _keys[id] = Convert.FromBase64String(Rig.DeviceKeys.Issue(id));
        return id;
    }

    public byte[] DeviceKey(string deviceId) => _keys[deviceId];

    /// <summary>The CA named by Broker:Tls:ClientCaPath, which issues CA-signed device certificates.</summary>
    public GatewayPki Pki => _pki;

    /// <summary>Connects as a device SDK does with X.509: IoT Hub user name, no password, the client certificate in the TLS handshake.</summary>
    public async Task<(IMqttClient Client, MqttClientConnectResultCode Code)> ConnectWithCertificateAsync(string deviceId, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, bool iotHubUserName = true)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(deviceId)
            .WithEndPoint(new IPEndPoint(IPAddress.Loopback, Rig.Broker.TlsPort))
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithTlsOptions(o => o.UseTls().WithTargetHost("localhost").WithTrustChain([_pki.Ca]).WithClientCertificates([certificate]));
        if (iotHubUserName)
        {
            builder.WithCredentials($"{HubHost}/{deviceId}/?api-version=2021-04-12", (string?)null);
        }

        var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            var result = await client.ConnectAsync(builder.Build());
            return (client, result.ResultCode);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            return (client, MqttClientConnectResultCode.UnspecifiedError);
        }
    }

    /// <summary>A SAS token as the device SDKs make it: sr and sig url-encoded, the HMAC over the encoded resource, a newline and the expiry.</summary>
    public static string Sas(string resource, byte[] key, DateTimeOffset expiry)
    {
        var sr = Uri.EscapeDataString(resource);
        var se = expiry.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"SharedAccessSignature sr={sr}&sig={Uri.EscapeDataString(SasToken.Sign(key, sr, se))}&se={se}";
    }

    public string Sas(string deviceId, DateTimeOffset? expiry = null) => Sas($"{HubHost}/devices/{deviceId}", DeviceKey(deviceId), expiry ?? DateTimeOffset.UtcNow.AddHours(1));

    public MqttClientOptions Options(string deviceId, string password, bool tls = true) => new MqttClientOptionsBuilder()
        .WithProtocolVersion(MqttProtocolVersion.V311)
        .WithClientId(deviceId)
        .WithCredentials($"{HubHost}/{deviceId}/?api-version=2021-04-12", password)
        .WithEndPoint(new IPEndPoint(IPAddress.Loopback, tls ? Rig.Broker.TlsPort : Rig.Broker.Port))
        .WithTimeout(TimeSpan.FromSeconds(30))
        .WithTlsOptions(o => o.UseTls(tls).WithTargetHost("localhost").WithTrustChain([_pki.Ca]))
        .Build();

    /// <summary>Connects; the CONNACK code (the client stays open on success).</summary>
    public async Task<(IMqttClient Client, MqttClientConnectResultCode Code)> ConnectAsync(string deviceId, string? password = null, bool tls = true)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(deviceId, password ?? Sas(deviceId), tls));
        return (client, result.ResultCode);
    }

    public async Task DisposeAsync()
    {
        await Rig.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
