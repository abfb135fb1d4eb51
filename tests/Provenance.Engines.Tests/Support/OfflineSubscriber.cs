using MQTTnet;
using MQTTnet.Protocol;
using Provenance.Host.Tests.Support;

namespace Provenance.Engines.Tests.Support;

/// <summary>
/// A plain MQTTnet subscriber (the ingestion service user) that subscribes, goes offline while a gateway publishes N
/// QoS 1 messages through a real mosquitto, and comes back with the same client id: how many did it get?
/// </summary>
internal static class OfflineSubscriber
{
    public const string GatewayId = "gw-1";
    public const string SiteId = "plant-1";
    public const string GatewaySecret = "gw-1-engines-secret";
    public const string Topic = $"prov/v1/{SiteId}/{GatewayId}/seal";

    public static GatewayCredentials Gateway { get; } = new(GatewayId, SiteId, KeyPath: string.Empty, GatewaySecret);

    /// <summary>
    /// Subscribes as ingestion user <paramref name="clientId"/> (the broker binds client ids to user names)
    /// <paramref name="filter"/> (Clean Start <paramref name="cleanStart"/>, Session Expiry <paramref name="sessionExpiry"/>),
    /// disconnects, runs <paramref name="whileOffline"/>, publishes <paramref name="count"/> messages, reconnects with
    /// Clean Start false and returns (session present, distinct messages received until the broker has been quiet for 3 s).
    /// </summary>
    public static async Task<(bool SessionPresent, int Received)> RunAsync(
        MosquittoRig broker, string clientId, string filter, bool cleanStart, uint sessionExpiry, int count, Func<Task>? whileOffline = null)
    {
        using (var first = await Mqtt.ConnectAsync(Mqtt.Options(broker.Port, clientId, clientId, MosquittoRig.IngestionPassword, cleanStart, sessionExpiry)))
        {
            var granted = await first.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, granted.Items.Single().ResultCode);
            await first.DisconnectAsync();
        }

        if (whileOffline is not null)
        {
            await whileOffline();
        }

        using (var gateway = await Mqtt.ConnectAsync(Mqtt.Options(broker.Port, GatewayId, GatewayId, GatewaySecret)))
        {
            Assert.Equal(count, await Mqtt.PublishSequenceAsync(gateway, Topic, count));
            await gateway.DisconnectAsync();
        }

        var receiver = new Receiver();
        using var again = Mqtt.Factory.CreateMqttClient();
        receiver.Attach(again);
        var connected = await again.ConnectAsync(Mqtt.Options(broker.Port, clientId, clientId, MosquittoRig.IngestionPassword, cleanStart: false, sessionExpiry));
        var received = await receiver.WaitForAsync(count, quiet: TimeSpan.FromSeconds(3), limit: TimeSpan.FromMinutes(1));
        await again.DisconnectAsync();
        return (connected.IsSessionPresent, received);
    }
}
