using System.Text.Json.Nodes;
using Provenance.Core.Gateways;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.IotHub;

/// <summary>
/// A line gateway built on Microsoft's Azure IoT device SDK for Node (azure-iot-device + azure-iot-device-mqtt from
/// npm) connects to <c>provenance serve</c> unchanged, with only the connection string of <c>gateways add --auth
/// sas</c> and the plant's CA: its seals are verified and stored, and a wrong key, an expired token and a topic IoT
/// Hub does not document are refused as IoT Hub refuses them.
/// </summary>
public sealed partial class IotHubDeviceSdkTests(IotHubNode hub) : IClassFixture<IotHubNode>
{
    private ProvenanceNode Node => hub.Node;

    [Fact]
    public async Task A_seal_sent_by_microsofts_device_sdk_is_acknowledged_after_commit_and_then_scans_authentic()
    {
        var tag = hub.Tags[0];

        var result = await DeviceSdk.RunAsync(new JsonObject
        {
            ["action"] = "send",
            ["connectionString"] = hub.ConnectionString(),
            ["ca"] = hub.CaPath,
            ["messages"] = new JsonArray(new JsonObject { ["kind"] = "seal", ["body"] = Seal(tag, "sdk-seal-1") }),
        });

        Assert.True(result["ok"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(1, result["sent"]!.GetValue<int>());
        var scan = await Node.ScanAsync(tag);
        Assert.Equal("authentic", scan.GetProperty("verdict").GetString());
        Assert.Equal(hub.Gateway.GatewayId, scan.GetProperty("origin").GetProperty("gatewayId").GetString());
        AssertNoFailureLogged();
    }

    [Fact]
    public async Task The_device_sdk_with_a_wrong_device_key_is_refused_and_its_seal_is_not_stored()
    {
        var tag = hub.Tags[1];
        var wrongKey = Convert.ToBase64String(new byte[32]);

        var result = await DeviceSdk.RunAsync(new JsonObject
        {
            ["action"] = "send",
            ["connectionString"] = hub.ConnectionString(wrongKey),
            ["ca"] = hub.CaPath,
            ["messages"] = new JsonArray(new JsonObject { ["kind"] = "seal", ["body"] = Seal(tag, "sdk-wrong-key") }),
        });

        Assert.False(result["ok"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal("UnauthorizedError", result["name"]!.GetValue<string>());
        Assert.NotEqual("authentic", (await Node.ScanAsync(tag)).GetProperty("verdict").GetString());
        Assert.Contains(Node.Host!.Lines, l => l.Contains("signature does not match the device key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_device_sdk_with_an_expired_token_made_from_the_right_key_is_refused()
    {
        var result = await DeviceSdk.RunAsync(new JsonObject
        {
            ["action"] = "expired",
            ["hubHost"] = IotHubNode.HubHost,
            ["deviceId"] = hub.Gateway.GatewayId,
            ["gateway"] = $"127.0.0.1:{hub.TlsPort}",
            ["key"] = hub.DeviceKey,
            ["ca"] = hub.CaPath,
            ["body"] = Seal(hub.Tags[2], "sdk-expired"),
        });

        Assert.False(result["ok"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal("UnauthorizedError", result["name"]!.GetValue<string>());
        Assert.Contains(Node.Host!.Lines, l => l.Contains("the SAS token expired at", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_publish_on_a_topic_iot_hub_does_not_document_closes_the_connection_unacknowledged()
    {
        var tag = hub.Tags[3];

        var result = await DeviceSdk.RunAsync(new JsonObject
        {
            ["action"] = "foreign",
            ["hubHost"] = IotHubNode.HubHost,
            ["deviceId"] = hub.Gateway.GatewayId,
            ["gateway"] = $"127.0.0.1:{hub.TlsPort}",
            ["key"] = hub.DeviceKey,
            ["ca"] = hub.CaPath,
            ["topic"] = $"prov/v1/{ProvenanceNode.SiteId}/{hub.Gateway.GatewayId}/seal",
            ["body"] = Seal(tag, "sdk-foreign"),
        });

        Assert.True(result["connected"]!.GetValue<bool>(), result.ToJsonString());
        Assert.True(result["closed"]!.GetValue<bool>(), result.ToJsonString());
        Assert.False(result["acknowledged"]!.GetValue<bool>(), result.ToJsonString());
        Assert.NotEqual("authentic", (await Node.ScanAsync(tag)).GetProperty("verdict").GetString());
    }

    private string Seal(string tag, string eventId, GatewayCredentials? gateway = null)
    {
        gateway ??= hub.Gateway;
        using var key = Simulation.LoadKey(gateway);
        var at = DateTimeOffset.UtcNow;
        var message = new SealMessage
        {
            SiteId = gateway.SiteId,
            GatewayId = gateway.GatewayId,
            SentAt = at,
            Events = [new SealEvent { EventId = eventId, Tag = tag, Line = "line-1", SealedAt = at, SealType = "capsule", Sequence = 1 }],
        };
        return GatewayMessageCodec.SignSeal(message, key);
    }

    private void AssertNoFailureLogged() =>
        Assert.DoesNotContain(Node.Host!.Lines, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
}
