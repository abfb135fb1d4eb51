using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Provenance.Ingestion.Tests.Boundary.Support;

namespace Provenance.Ingestion.Tests.Boundary;

/// <summary>
/// Azure IoT Hub's device dialect on the embedded broker's TLS listener, driven by a real MQTT 3.1.1 client as an IoT
/// Hub device SDK speaks it: SAS-token login, device-to-cloud topics with a property bag, and IoT Hub's rules (QoS 2,
/// foreign topics and oversized messages close the connection; one connection per device). Microsoft's own Node SDK
/// is driven against a whole node in Provenance.Host.Tests.
/// </summary>
public sealed partial class IotHubDialectTests(IotHubRigFixture hub) : IClassFixture<IotHubRigFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private BrokerRig Rig => hub.Rig;

    [Fact]
    public async Task A_device_with_a_valid_sas_token_seals_on_its_events_topic_and_the_seal_is_stored()
    {
        var device = hub.NewDevice("dev-seal");
        var (client, code) = await hub.ConnectAsync(device);
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, code);

        var (_, payload, events) = Rig.GoodSeal(device);
        var result = await BrokerRig.PublishAsync(client, $"devices/{device}/messages/events/%24.mid=m-1&%24.ct=application%2Fjose&kind=seal", payload);

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        Assert.True(Rig.Seals.ContainsEvent(events[0].EventId), "the acknowledged seal is not stored");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var device = hub.NewDevice("dev-wrongkey");
        var token = IotHubRigFixture.Sas($"{IotHubRigFixture.HubHost}/devices/{device}", new byte[32], DateTimeOffset.UtcNow.AddHours(1));

        var (client, code) = await hub.ConnectAsync(device, token);
        client.Dispose();

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
    }

    [Fact]
    public async Task An_expired_token_is_refused_though_its_signature_is_right()
    {
        var device = hub.NewDevice("dev-expired");

        var (client, code) = await hub.ConnectAsync(device, hub.Sas(device, DateTimeOffset.UtcNow.AddMinutes(-1)));
        client.Dispose();

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
    }

    [Fact]
    public async Task A_token_made_for_another_device_is_refused()
    {
        var device = hub.NewDevice("dev-resource");
        var other = hub.NewDevice("dev-other");
        var token = IotHubRigFixture.Sas($"{IotHubRigFixture.HubHost}/devices/{other}", hub.DeviceKey(device), DateTimeOffset.UtcNow.AddHours(1));

        var (client, code) = await hub.ConnectAsync(device, token);
        client.Dispose();

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
    }

    [Fact]
    public async Task A_gateway_registered_without_a_device_key_cannot_log_in_with_the_iot_hub_dialect()
    {
        var gateway = Rig.AddGateway("gw-nokey");
        var token = IotHubRigFixture.Sas($"{IotHubRigFixture.HubHost}/devices/{gateway}", new byte[32], DateTimeOffset.UtcNow.AddHours(1));

        var (client, code) = await hub.ConnectAsync(gateway, token);
        client.Dispose();

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
    }

    [Fact]
    public async Task The_iot_hub_dialect_is_refused_on_the_plain_listener()
    {
        var device = hub.NewDevice("dev-plain");

        var (client, code) = await hub.ConnectAsync(device, tls: false);
        client.Dispose();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, code);
    }

    [Fact]
    public async Task A_publish_on_a_foreign_topic_closes_the_connection_unacknowledged_and_is_kept_as_a_dead_letter()
    {
        var device = hub.NewDevice("dev-foreign");
        var (client, _) = await hub.ConnectAsync(device);
        using var __ = client;
        var closed = Closed(client);
        var (nativeTopic, payload, events) = Rig.GoodSeal(device);

        await Assert.ThrowsAnyAsync<Exception>(() => BrokerRig.PublishAsync(client, nativeTopic, payload));

        await closed.WaitAsync(Wait);
        Assert.False(Rig.Seals.ContainsEvent(events[0].EventId));
        Assert.Contains(Rig.DeadLetters.List("wrong_topic"), d => d.Topic == nativeTopic && d.Reason.Contains($"devices/{device}/messages/events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_qos_2_publish_closes_the_connection_and_stores_nothing()
    {
        var device = hub.NewDevice("dev-qos2");
        var (client, _) = await hub.ConnectAsync(device);
        using var __ = client;
        var closed = Closed(client);
        var (_, payload, events) = Rig.GoodSeal(device);
        var message = new MqttApplicationMessageBuilder().WithTopic($"devices/{device}/messages/events/kind=seal").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.ExactlyOnce).Build();

        await Assert.ThrowsAnyAsync<Exception>(() => client.PublishAsync(message));

        await closed.WaitAsync(Wait);
        Assert.False(Rig.Seals.ContainsEvent(events[0].EventId));
    }

    [Fact]
    public async Task A_seal_signed_by_another_gateway_is_dead_lettered_because_the_connection_is_the_identity()
    {
        var device = hub.NewDevice("dev-ident");
        var signer = hub.NewDevice("dev-signer");
        var (client, _) = await hub.ConnectAsync(device);
        using var __ = client;
        var (_, payload, events) = Rig.GoodSeal(signer);

        var result = await BrokerRig.PublishAsync(client, $"devices/{device}/messages/events/kind=seal", payload);

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        Assert.False(Rig.Seals.ContainsEvent(events[0].EventId));
        Assert.Contains(Rig.DeadLetters.List("wrong_topic"), d => d.Reason.Contains($"signed by gateway '{signer}'", StringComparison.Ordinal) && d.Reason.Contains(device, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_without_a_kind_property_is_acknowledged_as_a_dead_letter_that_says_what_is_missing()
    {
        var device = hub.NewDevice("dev-nokind");
        var (client, _) = await hub.ConnectAsync(device);
        using var __ = client;
        var (_, payload, events) = Rig.GoodSeal(device);

        await BrokerRig.PublishAsync(client, $"devices/{device}/messages/events/%24.mid=m-2", payload);

        Assert.False(Rig.Seals.ContainsEvent(events[0].EventId));
        Assert.Contains(Rig.DeadLetters.List("bad_topic"), d => d.Reason.Contains($"device '{device}'", StringComparison.Ordinal) && d.Reason.Contains("seal, gnss or status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_over_256_kilobytes_closes_the_connection()
    {
        var device = hub.NewDevice("dev-big");
        var (client, _) = await hub.ConnectAsync(device);
        using var __ = client;
        var closed = Closed(client);

        await Assert.ThrowsAnyAsync<Exception>(() => BrokerRig.PublishAsync(client, $"devices/{device}/messages/events/kind=seal", Encoding.ASCII.GetBytes(new string('a', (256 * 1024) + 1))));

        await closed.WaitAsync(Wait);
        Assert.Contains(Rig.DeadLetters.List("oversized"), d => d.Reason.Contains("IoT Hub's limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_connection_of_a_device_replaces_the_first()
    {
        var device = hub.NewDevice("dev-twice");
        var (first, _) = await hub.ConnectAsync(device);
        using var __ = first;
        var firstClosed = Closed(first);

        var (second, code) = await hub.ConnectAsync(device);
        using var ___ = second;

        Assert.Equal(MqttClientConnectResultCode.Success, code);
        await firstClosed.WaitAsync(Wait);
        Assert.True(second.IsConnected);
        await Rig.SealAndConfirmOnIotHubAsync(second, device);
    }

    private static Task Closed(IMqttClient client)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }
}
