using System.Text;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using Provenance.Ingestion.Tests.Boundary.Support;

namespace Provenance.Ingestion.Tests.Boundary;

/// <summary>The device side of IoT Hub's twin topics and the subscriptions a device may make.</summary>
public sealed partial class IotHubDialectTests
{
    [Fact]
    public async Task A_device_may_subscribe_to_iot_hubs_documented_topics_at_qos_1_at_most_but_not_to_another_devices_messages_or_a_wildcard()
    {
        var device = hub.NewDevice("dev-sub");
        var other = hub.NewDevice("dev-other");
        var (client, _) = await hub.ConnectAsync(device);
        using var __ = client;

        async Task<MqttClientSubscribeResultCode> Subscribe(string filter, MqttQualityOfServiceLevel qos) =>
            (await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, qos).Build())).Items.Single().ResultCode;

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, await Subscribe("$iothub/twin/res/#", MqttQualityOfServiceLevel.AtMostOnce));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await Subscribe("$iothub/methods/POST/#", MqttQualityOfServiceLevel.AtLeastOnce));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await Subscribe($"devices/{device}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce));
        // MQTT 3.1.1 has a single failure code (0x80), which MQTTnet's client reports as UnspecifiedError.
        Assert.Equal(MqttClientSubscribeResultCode.UnspecifiedError, await Subscribe($"devices/{other}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce));
        Assert.Equal(MqttClientSubscribeResultCode.UnspecifiedError, await Subscribe("#", MqttQualityOfServiceLevel.AtMostOnce));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await Subscribe("$iothub/twin/res/#", MqttQualityOfServiceLevel.ExactlyOnce));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_reported_patch_that_breaks_the_twin_rules_is_answered_400_and_the_twin_keeps_its_last_report()
    {
        var device = hub.NewDevice("dev-twin");
        var (client, _) = await hub.ConnectAsync(device);
        using var __ = client;
        var answers = Channel.CreateUnbounded<string>();
        client.ApplicationMessageReceivedAsync += e => answers.Writer.WriteAsync(e.ApplicationMessage.Topic + " " + e.ApplicationMessage.ConvertPayloadToString()).AsTask();
        await client.SubscribeAsync("$iothub/twin/res/#");

        await client.PublishStringAsync("$iothub/twin/PATCH/properties/reported/?$rid=r1", "{\"firmwareVersion\":\"1.0.3\",\"queueDepth\":3}");
        Assert.Equal("$iothub/twin/res/204/?$rid=r1&$version=2 ", await answers.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        await client.PublishStringAsync("$iothub/twin/PATCH/properties/reported/?$rid=r2", "{\"$queueDepth\":4}");
        var refused = await answers.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await client.PublishStringAsync("$iothub/twin/GET/?$rid=r3", string.Empty);
        var twin = await answers.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        Assert.StartsWith("$iothub/twin/res/400/?$rid=r2 ", refused, StringComparison.Ordinal);
        Assert.Contains("not allowed", refused, StringComparison.Ordinal);
        Assert.StartsWith("$iothub/twin/res/200/?$rid=r3 ", twin, StringComparison.Ordinal);
        Assert.Contains("\"reported\":{\"firmwareVersion\":\"1.0.3\",\"queueDepth\":3,\"$version\":2}", twin, StringComparison.Ordinal);
        Assert.Equal(3, Rig.Twins.Find(device)!.Reported["queueDepth"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_publish_on_an_iothub_topic_that_is_not_documented_closes_the_connection()
    {
        var device = hub.NewDevice("dev-twin-bad");
        var (client, _) = await hub.ConnectAsync(device);
        using var __ = client;
        var closed = Closed(client);

        await Assert.ThrowsAnyAsync<Exception>(() => BrokerRig.PublishAsync(client, "$iothub/twin/DELETE/?$rid=1", Encoding.ASCII.GetBytes("{}")));

        await closed.WaitAsync(Wait);
        Assert.Contains(Rig.DeadLetters.List("wrong_topic"), d => d.Reason.Contains("$iothub/twin/DELETE", StringComparison.Ordinal));
    }
}
