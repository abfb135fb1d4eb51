using System.Security.Cryptography;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Provenance.Core.Gateways;
using Provenance.Core.Signing;
using Provenance.Host.Tests.EndToEnd;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>
/// A running <c>serve</c> takes gateway key rotation and revocation from the CLI (<c>gateways rotate|revoke</c>) and
/// from the producer API (<c>/api/gateways/{id}/rotate|revoke</c>): the old key's messages are refused, the new key's
/// stored; a revoked gateway is refused at CONNECT.
/// </summary>
public sealed class GatewayRevocationTests(MisbehaviourTests.Node node) : IClassFixture<MisbehaviourTests.Node>
{
    [Fact]
    public async Task After_a_key_rotation_through_the_cli_the_old_key_is_refused_and_the_new_key_seals_and_revocation_ends_connect()
    {
        var (gateway, urls) = await node.GatewayWithCodesAsync("rotate-cli", 3);
        using var oldKey = Simulation.LoadKey(gateway);
        using (var client = await ConnectAsync(gateway.GatewayId, gateway.Secret))
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, (await PublishAsync(client, gateway, urls[0], oldKey)).ReasonCode);
        }

        using var newKey = GatewayKeys.Create();
        var newKeyPath = Path.Combine(node.Provenance.WorkDirectory, "rotated.pub.pem");
        await File.WriteAllTextAsync(newKeyPath, GatewayKeys.ExportPublicKeyPem(newKey));
        var output = await node.Provenance.CliAsync("gateways", "rotate", "--id", gateway.GatewayId, "--public-key", newKeyPath);
        Assert.Contains($"(version 2)", output, StringComparison.Ordinal);

        using (var client = await ConnectAsync(gateway.GatewayId, gateway.Secret))
        {
            // Ingestion caches registered keys for up to 5 s: the old key's messages are refused once it has looked again.
            var before = SealToVerdictTests.DeadLetters(await node.Provenance.HealthAsync(), "bad_signature");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (SealToVerdictTests.DeadLetters(await node.Provenance.HealthAsync(), "bad_signature") == before)
            {
                await PublishAsync(client, gateway, urls[1], oldKey);
                await Task.Delay(200, timeout.Token);
            }

            Assert.Equal(MqttClientPublishReasonCode.Success, (await PublishAsync(client, gateway, urls[2], newKey)).ReasonCode);
        }

        Assert.Equal("authentic", (await node.Provenance.ScanAsync(urls[2])).GetProperty("verdict").GetString());
        await node.Provenance.CliAsync("gateways", "revoke", "--id", gateway.GatewayId, "--reason", "test");
        using var refused = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Banned, (await refused.ConnectAsync(Options(gateway.GatewayId, gateway.Secret))).ResultCode);
    }

    [Fact]
    public async Task The_producer_api_rotates_the_mqtt_secret_and_revokes_a_gateway()
    {
        var (gateway, _) = await node.GatewayWithCodesAsync("rotate-api", 1);
        var producer = await ApiCalls.CreateKeyAsync(node.Provenance, "producer");
        var admin = await ApiCalls.CreateKeyAsync(node.Provenance, "admin");
        using (var forbidden = await ApiCalls.SendAsync(node.Provenance, HttpMethod.Post, $"/api/gateways/{gateway.GatewayId}/revoke", key: null, new { reason = "x" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, forbidden.StatusCode);
        }

        var rotated = await ApiCalls.JsonAsync(node.Provenance, HttpMethod.Post, $"/api/gateways/{gateway.GatewayId}/rotate", producer, new { newSecret = true });
        var secret = rotated.GetProperty("password").GetString()!;

        using (var old = new MqttClientFactory().CreateMqttClient())
        {
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, (await old.ConnectAsync(Options(gateway.GatewayId, gateway.Secret))).ResultCode);
        }

        using (var fresh = await ConnectAsync(gateway.GatewayId, secret))
        {
            Assert.True(fresh.IsConnected);
        }

        var revoked = await ApiCalls.JsonAsync(node.Provenance, HttpMethod.Post, $"/api/gateways/{gateway.GatewayId}/revoke", admin, new { reason = "line closed" });
        Assert.Equal("line closed", revoked.GetProperty("revocationReason").GetString());
        var state = await ApiCalls.JsonAsync(node.Provenance, HttpMethod.Get, $"/api/gateways/{gateway.GatewayId}", producer);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, state.GetProperty("revokedAt").ValueKind);
        using var banned = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Banned, (await banned.ConnectAsync(Options(gateway.GatewayId, secret))).ResultCode);
        using var conflict = await ApiCalls.SendAsync(node.Provenance, HttpMethod.Post, $"/api/gateways/{gateway.GatewayId}/rotate", producer, new { newSecret = true });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.StatusCode);
    }

    private async Task<IMqttClient> ConnectAsync(string gatewayId, string secret)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, (await client.ConnectAsync(Options(gatewayId, secret))).ResultCode);
        return client;
    }

    private MqttClientOptions Options(string gatewayId, string secret) => new MqttClientOptionsBuilder()
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithClientId(gatewayId)
        .WithCredentials(gatewayId, secret)
        .WithEndPoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, node.Provenance.MqttPort))
        .Build();

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, GatewayCredentials gateway, string url, ECDsa key)
    {
        var message = new SealMessage
        {
            SiteId = gateway.SiteId,
            GatewayId = gateway.GatewayId,
            SentAt = DateTimeOffset.UtcNow,
            Events = [new SealEvent { EventId = Guid.NewGuid().ToString(), Tag = url, Line = "line-1", SealedAt = DateTimeOffset.UtcNow, SealType = "capsule", Sequence = 1 }],
        };
        var payload = Encoding.ASCII.GetBytes(GatewayMessageCodec.SignSeal(message, key));
        return client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(new GatewayTopic(gateway.SiteId, gateway.GatewayId, GatewayMessageKind.Seal).ToString())
            .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }
}
