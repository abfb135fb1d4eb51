using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Provenance.Host.Tests.IotHub;

/// <summary>IoT Hub's X.509 login with Microsoft's device SDK: a self-signed certificate registered by thumbprint through the CLI.</summary>
public sealed partial class IotHubDeviceSdkTests
{
    [Fact]
    public async Task The_device_sdk_with_a_self_signed_certificate_registered_by_thumbprint_seals_a_bottle_that_scans_authentic()
    {
        var tag = hub.Tags[5];

        var result = await DeviceSdk.RunAsync(new JsonObject
        {
            ["action"] = "send",
            ["connectionString"] = hub.X509ConnectionString,
            ["ca"] = hub.CaPath,
            ["cert"] = hub.X509CertificatePath,
            ["key"] = hub.X509KeyPath,
            ["messages"] = new JsonArray(new JsonObject { ["kind"] = "seal", ["body"] = Seal(tag, "sdk-x509-seal", hub.X509Gateway) }),
        });

        Assert.True(result["ok"]!.GetValue<bool>(), result.ToJsonString());
        var scan = await Node.ScanAsync(tag);
        Assert.Equal("authentic", scan.GetProperty("verdict").GetString());
        Assert.Equal(hub.X509Gateway.GatewayId, scan.GetProperty("origin").GetProperty("gatewayId").GetString());
    }

    [Fact]
    public async Task The_device_sdk_with_a_certificate_other_than_the_registered_one_is_refused_and_its_seal_is_not_stored()
    {
        var tag = hub.Tags[6];
        var directory = Directory.CreateTempSubdirectory("prov-x509-other-").FullName;
        try
        {
            using var other = IotHubNode.SelfSignedDeviceCertificate(hub.X509Gateway.GatewayId);
            var certificatePath = Path.Combine(directory, "other.pem");
            var keyPath = Path.Combine(directory, "other.key.pem");
            await File.WriteAllTextAsync(certificatePath, other.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, other.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

            var result = await DeviceSdk.RunAsync(new JsonObject
            {
                ["action"] = "send",
                ["connectionString"] = hub.X509ConnectionString,
                ["ca"] = hub.CaPath,
                ["cert"] = certificatePath,
                ["key"] = keyPath,
                ["messages"] = new JsonArray(new JsonObject { ["kind"] = "seal", ["body"] = Seal(tag, "sdk-x509-other", hub.X509Gateway) }),
            });

            Assert.False(result["ok"]!.GetValue<bool>(), result.ToJsonString());
            Assert.NotEqual("authentic", (await Node.ScanAsync(tag)).GetProperty("verdict").GetString());
            Assert.Contains(Node.Host!.Lines, l => l.Contains("thumbprint is not the one registered for this device", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
