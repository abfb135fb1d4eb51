using System.Buffers;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>An MQTT 5 client subscribed to <c>prov/#</c> with QoS 1, logging what it receives in order.</summary>
public sealed class Subscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private Subscriber(IMqttClient client) => _client = client;

    public MessageLog Received { get; } = new();

    public static async Task<Subscriber> ConnectAsync(int port, string clientId = "test-subscriber", bool persistentSession = false)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var subscriber = new Subscriber(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = Encoding.ASCII.GetString(e.ApplicationMessage.Payload.ToArray());
            subscriber.Received.Add(new ReceivedMessage(e.ApplicationMessage.Topic, payload, e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(!persistentSession)
            .WithSessionExpiryInterval(persistentSession ? 3600u : 0u)
            .Build();
        await client.ConnectAsync(options, CancellationToken.None);
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic("prov/#").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        await client.SubscribeAsync(subscribe, CancellationToken.None);
        return subscriber;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }

        _client.Dispose();
    }
}
