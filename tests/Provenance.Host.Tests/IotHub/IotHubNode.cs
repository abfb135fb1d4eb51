using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Provenance.Host.Tests.Support;
using Provenance.Ingestion.Tests.EventHubs.Support;

namespace Provenance.Host.Tests.IotHub;

/// <summary>
/// <c>provenance serve</c> with its broker's TLS listener on (certificate from a CA made at test time) and IoT Hub's
/// device dialect answering as <see cref="HubHost"/>, one gateway registered through the CLI with <c>--auth sas</c>,
/// and tags issued. Shared by a test class.
/// </summary>
public sealed class IotHubNode : IAsyncLifetime
{
    public const string HubHost = "plant-1.azure-devices.net";

    private readonly TestCertificateAuthority _ca = new("Provenance IoT Hub test CA");

    public ProvenanceNode Node { get; } = new();

    public int TlsPort { get; } = FreePort.Next();

    public string CaPath => Path.Combine(Node.WorkDirectory, "broker-ca.pem");

    public GatewayCredentials Gateway { get; private set; } = null!;

    /// <summary>The device key printed by <c>gateways add --auth sas</c> (base64).</summary>
    public string DeviceKey { get; private set; } = string.Empty;

    public IReadOnlyList<string> Tags { get; private set; } = [];

    /// <summary>A producer API key, for the twin, method and message routes.</summary>
    public string ProducerKey { get; private set; } = string.Empty;

    /// <summary>The connection string a vendor puts in the gateway, as the README gives it.</summary>
    public string ConnectionString(string? key = null) =>
        $"HostName={HubHost};GatewayHostName=127.0.0.1:{TlsPort};DeviceId={Gateway.GatewayId};SharedAccessKey={key ?? DeviceKey}";

    public async Task InitializeAsync()
    {
        await Node.CliAsync("sites", "add", "--id", ProvenanceNode.SiteId, "--name", "Plant One", "--lat", "27.8611", "--lon", "106.372", "--radius", "500");
        await Node.CliAsync("products", "add", "--gtin", ProvenanceNode.Gtin, "--name", "Test Baijiu 53%", "--brand", "Provenance Distillery");
        var keys = Path.Combine(Node.WorkDirectory, "keys");
        const string id = "gw-iothub";
        await Node.RunCliAsync("gateways", "keygen", "--id", id, "--out", keys);
        var output = await Node.CliAsync("gateways", "add", "--id", id, "--site", ProvenanceNode.SiteId, "--public-key", Path.Combine(keys, $"{id}.pub.pem"), "--auth", "sas");
        string Line(string label) => output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim();
        Gateway = new GatewayCredentials(id, ProvenanceNode.SiteId, Path.Combine(keys, $"{id}.key.pem"), Line("password:"));
        DeviceKey = Line("device key:");
        Assert.Contains($"DeviceId={id};SharedAccessKey={DeviceKey}", output, StringComparison.Ordinal);
        X509Gateway = await AddX509GatewayAsync(keys);
        Tags = (await Node.IssueAsync(7)).Urls;
        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");

        using var server = _ca.IssueServerCertificate();
        var certificatePath = Path.Combine(Node.WorkDirectory, "broker.pem");
        var keyPath = Path.Combine(Node.WorkDirectory, "broker.key.pem");
        await File.WriteAllTextAsync(certificatePath, server.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(CaPath, _ca.CaPem);
        await Node.StartAsync(
            "--Broker:Tls:Enabled=true", $"--Broker:Tls:Port={TlsPort}", $"--Broker:Tls:CertificatePath={certificatePath}", $"--Broker:Tls:KeyPath={keyPath}",
            $"--Broker:IotHub:HostName={HubHost}");
    }

    /// <summary>A second gateway registered with <c>gateways add --auth x509 --thumbprint</c> for its self-signed certificate.</summary>
    public GatewayCredentials X509Gateway { get; private set; } = null!;

    public string X509CertificatePath => Path.Combine(Node.WorkDirectory, "device-x509.pem");

    public string X509KeyPath => Path.Combine(Node.WorkDirectory, "device-x509.key.pem");

    /// <summary>The X.509 connection string the SDK documents: no key, <c>x509=true</c>.</summary>
    public string X509ConnectionString => $"HostName={HubHost};GatewayHostName=127.0.0.1:{TlsPort};DeviceId={X509Gateway.GatewayId};x509=true";

    private async Task<GatewayCredentials> AddX509GatewayAsync(string keys)
    {
        const string id = "gw-iothub-x509";
        using var certificate = SelfSignedDeviceCertificate(id);
        await File.WriteAllTextAsync(X509CertificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(X509KeyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var thumbprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        await Node.RunCliAsync("gateways", "keygen", "--id", id, "--out", keys);
        var output = await Node.CliAsync("gateways", "add", "--id", id, "--site", ProvenanceNode.SiteId, "--public-key", Path.Combine(keys, $"{id}.pub.pem"), "--auth", "x509", "--thumbprint", thumbprint.ToLowerInvariant());
        Assert.Contains($"DeviceId={id};x509=true", output, StringComparison.Ordinal);
        Assert.Contains(thumbprint, output, StringComparison.Ordinal);
        var password = output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("password:", StringComparison.Ordinal))["password:".Length..].Trim();
        return new GatewayCredentials(id, ProvenanceNode.SiteId, Path.Combine(keys, $"{id}.key.pem"), password);
    }

    /// <summary>A self-signed client certificate (P-256), as a device vendor makes one per device for IoT Hub's thumbprint registration.</summary>
    public static X509Certificate2 SelfSignedDeviceCertificate(string deviceId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={deviceId}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        _ca.Dispose();
    }
}
