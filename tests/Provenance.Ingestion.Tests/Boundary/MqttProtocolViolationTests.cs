using MQTTnet;
using Provenance.Ingestion.Tests.Boundary.Support;

namespace Provenance.Ingestion.Tests.Boundary;

/// <summary>
/// What MQTT forbids is answered by closing the connection with the reason (MQTT 5 DISCONNECT), never with a PUBACK:
/// nothing of it is stored or dead-lettered, and what was acknowledged before is kept.
/// </summary>
public sealed class MqttProtocolViolationTests(BrokerRigFixture fixture) : IClassFixture<BrokerRigFixture>
{
    public static TheoryData<string, byte> Violations => new()
    {
        { "plus", 0x90 },
        { "hash", 0x90 },
        { "qos3", 0x81 },
        { "alias", 0x94 },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_forbidden_publish_closes_the_connection_with_a_reason_and_no_puback(string violation, byte reason)
    {
        var rig = fixture.Rig;
        var gateway = fixture.NewGateway("violation");
        var acknowledged = await SealOnceAsync(rig, gateway);
        var sealsBefore = rig.Seals.Count();
        var lettersBefore = rig.DeadLetters.QuotaStatus().Messages;
        await using var raw = await RawMqttConnection.OpenAsync(rig.Broker.Port);
        Assert.Equal(0, await raw.ConnectAsync(gateway, gateway, rig.Secret(gateway)));
        var payload = rig.GoodSeal(gateway).Payload;
        var topic = BrokerRig.SealTopic(gateway);

        await raw.SendAsync(violation switch
        {
            "plus" => RawMqttConnection.Publish($"prov/v1/{BrokerRig.SiteId}/+/seal", payload),
            "hash" => RawMqttConnection.Publish($"prov/v1/{BrokerRig.SiteId}/{gateway}/#", payload),
            "qos3" => RawMqttConnection.Publish(topic, payload, qos: 3),
            _ => RawMqttConnection.Publish(topic, payload, topicAlias: 1),
        });

        Assert.Equal(reason, await raw.WaitClosedAsync());
        Assert.Equal(sealsBefore, rig.Seals.Count());
        Assert.Equal(lettersBefore, rig.DeadLetters.QuotaStatus().Messages);
        Assert.All(acknowledged, id => Assert.True(rig.Seals.ContainsEvent(id)));
        await SealOnceAsync(rig, gateway);
        rig.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_packet_announcing_256_MiB_closes_the_connection_before_anything_is_allocated()
    {
        var rig = fixture.Rig;
        var gateway = fixture.NewGateway("huge");
        await using var raw = await RawMqttConnection.OpenAsync(rig.Broker.Port);
        Assert.Equal(0, await raw.ConnectAsync(gateway, gateway, rig.Secret(gateway)));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        // PUBLISH QoS 1 with the largest remaining length MQTT can express (268,435,455), then a few bytes of it.
        await raw.SendAsync([0x32, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x04, (byte)'t', (byte)'e', (byte)'s', (byte)'t']);

        Assert.Null(await raw.WaitClosedAsync());
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated / (1024 * 1024)} MiB allocated while refusing the packet");
        await SealOnceAsync(rig, gateway);
    }

    [Fact]
    public async Task A_malformed_remaining_length_closes_the_connection()
    {
        var rig = fixture.Rig;
        var gateway = fixture.NewGateway("badlength");
        await using var raw = await RawMqttConnection.OpenAsync(rig.Broker.Port);
        Assert.Equal(0, await raw.ConnectAsync(gateway, gateway, rig.Secret(gateway)));

        await raw.SendAsync([0x32, 0x80, 0x80, 0x80, 0x80, 0x01]);

        Assert.Null(await raw.WaitClosedAsync());
        await SealOnceAsync(rig, gateway);
    }

    [Fact]
    public async Task A_connection_that_never_sends_connect_is_closed_after_the_connect_timeout()
    {
        var rig = fixture.Rig;
        // Started before connecting: the broker's timer starts when it accepts, so it can never run longer than this
        // watch (started after connecting, a loaded machine once made the wait look 0.23 s short of the timeout).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var raw = await RawMqttConnection.OpenAsync(rig.Broker.Port);

        Assert.Null(await raw.WaitClosedAsync(TimeSpan.FromSeconds(30)));

        Assert.True(watch.Elapsed >= rig.BrokerOptions.ConnectTimeout - TimeSpan.FromMilliseconds(200), $"closed after {watch.Elapsed}");
    }

    [Fact]
    public async Task A_gateway_may_not_subscribe()
    {
        var rig = fixture.Rig;
        var gateway = fixture.NewGateway("subscribe");
        using var client = await rig.ConnectAsync(gateway);

        var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("prov/v1/#").Build());

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, result.Items.Single().ResultCode);
    }

    [Theory]
    [InlineData("wrong-secret", MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData("unknown-gateway", MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData("client-id-mismatch", MqttClientConnectResultCode.ClientIdentifierNotValid)]
    [InlineData("revoked", MqttClientConnectResultCode.Banned)]
    public async Task Connect_is_refused_with_the_reason(string kind, MqttClientConnectResultCode expected)
    {
        var rig = fixture.Rig;
        var gateway = fixture.NewGateway("connect");
        if (kind == "revoked")
        {
            rig.Registry.RevokeGateway(gateway, "test");
        }

        var options = kind switch
        {
            "wrong-secret" => rig.ClientOptions(gateway, secret: "not-the-secret"),
            "unknown-gateway" => rig.ClientOptions("nobody", secret: rig.Secret(gateway)),
            "client-id-mismatch" => rig.ClientOptions(gateway, clientId: "gw-base"),
            _ => rig.ClientOptions(gateway),
        };
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(options);

        Assert.Equal(expected, result.ResultCode);
    }

    [Fact]
    public async Task A_gateway_revoked_while_connected_has_its_next_message_refused_kept_as_evidence_and_its_session_ended()
    {
        var rig = fixture.Rig;
        var gateway = fixture.NewGateway("revoke-live");
        var client = await rig.ConnectAsync(gateway);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };
        await rig.SealAndConfirmAsync(client, gateway);
        var sealsBefore = rig.Seals.Count();
        var revokedBefore = rig.DeadLetterCount("revoked_gateway");

        rig.Registry.RevokeGateway(gateway, "line decommissioned");
        var (topic, payload, _) = rig.GoodSeal(gateway);
        // The broker's registry cache holds entries for up to 5 s; publish until the revocation is seen.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!disconnected.Task.IsCompleted)
        {
            try
            {
                await BrokerRig.PublishAsync(client, topic, payload).WaitAsync(timeout.Token);
                await Task.Delay(100, timeout.Token);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or OperationCanceledException)
            {
                break;
            }
        }

        await disconnected.Task.WaitAsync(timeout.Token);
        Assert.True(rig.DeadLetterCount("revoked_gateway") > revokedBefore);
        var sealsOfRevoked = rig.Seals.Count() - sealsBefore;
        Assert.True(sealsOfRevoked <= 1, "at most the messages sent before the revocation reached the broker's cache are stored");
        client.Dispose();
    }

    private static async Task<IReadOnlyList<string>> SealOnceAsync(BrokerRig rig, string gateway)
    {
        using var client = await rig.ConnectAsync(gateway);
        return await rig.SealAndConfirmAsync(client, gateway);
    }
}
