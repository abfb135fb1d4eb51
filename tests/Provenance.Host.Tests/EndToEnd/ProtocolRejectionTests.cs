using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Provenance.Core.Gateways;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>What a gateway sends wrong, published with a plain MQTT client: each lands in the dead-letter store with its reason.</summary>
public sealed class ProtocolRejectionTests : IClassFixture<MisbehaviourTests.Node>
{
    private readonly MisbehaviourTests.Node _node;

    public ProtocolRejectionTests(MisbehaviourTests.Node node) => _node = node;

    [Fact]
    public async Task A_gateway_cannot_connect_with_a_wrong_secret()
    {
        var (gateway, _) = await _node.GatewayWithCodesAsync("login", 1);
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(Options(gateway with { Secret = "wrong" }));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
    }

    [Fact]
    public async Task Publishing_on_another_gateways_topic_is_refused_and_dead_lettered()
    {
        var (gateway, _) = await _node.GatewayWithCodesAsync("trespass", 1);
        using var client = await ConnectAsync(gateway);

        var result = await client.PublishAsync(Message($"prov/v1/{ProvenanceNode.SiteId}/gw-base/seal", "x"u8.ToArray()));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        await WaitForDeadLetterAsync("wrong_topic");
    }

    [Theory]
    [InlineData("garbage", "malformed")]
    [InlineData("oversized", "oversized")]
    [InlineData("unknown-tag", "unknown_tag")]
    [InlineData("element-string-tag", "unauthenticated_tag")]
    [InlineData("stale-replay", "stale")]
    [InlineData("counterfeit-tag", "counterfeit_tag")]
    [InlineData("bad-nmea", "bad_nmea")]
    public async Task Bad_input_is_dead_lettered_with_its_reason_and_acknowledged(string kind, string reason)
    {
        var (gateway, urls) = await _node.GatewayWithCodesAsync("reject-" + kind, 1);
        using var key = Simulation.LoadKey(gateway);
        using var client = await ConnectAsync(gateway);
        var sealTopic = new GatewayTopic(gateway.SiteId, gateway.GatewayId, GatewayMessageKind.Seal).ToString();
        var before = SealToVerdictTests.DeadLetters(await _node.Provenance.HealthAsync(), reason);
        SealMessage Seal(string tag, DateTimeOffset? at = null) => new()
        {
            SiteId = gateway.SiteId,
            GatewayId = gateway.GatewayId,
            SentAt = at ?? DateTimeOffset.UtcNow,
            Events = [new SealEvent { EventId = Guid.NewGuid().ToString(), Tag = tag, Line = "line-1", SealedAt = at ?? DateTimeOffset.UtcNow, SealType = "capsule", Sequence = 1 }],
        };
        var codes = new Core.Codes.CodeAuthenticator(Composition.CodeKeyFile.Load(_node.Provenance.DataDirectory, new Composition.CodeOptions()));
        var (topic, payload) = kind switch
        {
            "garbage" => (sealTopic, "\u0000\u00ffnot a jws"u8.ToArray()),
            "oversized" => (sealTopic, new byte[300 * 1024]),
            "unknown-tag" => (sealTopic, Encoding.ASCII.GetBytes(GatewayMessageCodec.SignSeal(Seal(codes.Sign(Core.Codes.DigitalLink.ForTag(_node.Provenance.Authority, Core.Codes.Gtin.Parse(ProvenanceNode.Gtin), "NEVERISSUED1"))), key))),
            "element-string-tag" => (sealTopic, Encoding.ASCII.GetBytes(GatewayMessageCodec.SignSeal(Seal("0109506000134352" + "21NEVERISSUED1"), key))),
            "stale-replay" => (sealTopic, Encoding.ASCII.GetBytes(GatewayMessageCodec.SignSeal(Seal(urls[0], DateTimeOffset.UtcNow.AddDays(-365)), key))),
            "counterfeit-tag" => (sealTopic, Encoding.ASCII.GetBytes(GatewayMessageCodec.SignSeal(Seal(urls[0][..^1] + (urls[0][^1] == 'A' ? "B" : "A")), key))),
            _ => (new GatewayTopic(gateway.SiteId, gateway.GatewayId, GatewayMessageKind.Gnss).ToString(), Encoding.ASCII.GetBytes(GatewayMessageCodec.SignGnss(
                new GnssMessage { SiteId = gateway.SiteId, GatewayId = gateway.GatewayId, SentAt = DateTimeOffset.UtcNow, Nmea = "$GNGGA,garbage*00\r\n\u0001\u0002binary" }, key))),
        };

        var result = await client.PublishAsync(Message(topic, payload));

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        var after = SealToVerdictTests.DeadLetters(await _node.Provenance.HealthAsync(), reason);
        Assert.Equal(before + 1, after);
        await _node.AssertStillServingAsync();
    }

    private async Task WaitForDeadLetterAsync(string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (SealToVerdictTests.DeadLetters(await _node.Provenance.HealthAsync(), reason) == 0)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private async Task<IMqttClient> ConnectAsync(GatewayCredentials gateway)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(gateway));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private MqttClientOptions Options(GatewayCredentials gateway)
    {
        var options = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(gateway.GatewayId)
            .WithCredentials(gateway.GatewayId, gateway.Secret)
            .WithEndPoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _node.Provenance.MqttPort))
            .Build();
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = 1 << 20;
        return options;
    }

    private static MqttApplicationMessage Message(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
}
