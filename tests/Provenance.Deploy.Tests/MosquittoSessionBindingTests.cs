using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace Provenance.Deploy.Tests;

/// <summary>
/// Issue 21 item 5: a gateway's valid credentials with ingestion's client id. With the shipped
/// <c>use_username_as_clientid true</c> the broker files the connection under the gateway's own user name: ingestion
/// stays connected and keeps its queue. With mosquitto's default the same connection takes ingestion's session over.
/// </summary>
public sealed class MosquittoSessionBindingTests(ITestOutputHelper output) : IDisposable
{
    private const string IngestionPassword = "ingestion-binding-secret";
    private const string GatewayPassword = "gateway-binding-secret";
    private readonly MosquittoTestFiles _files = new("prov-mosquitto-binding-");

    [Fact]
    public async Task A_gateway_connecting_with_ingestions_client_id_does_not_take_over_ingestions_session()
    {
        var (kicked, received) = await HijackAsync(config => config);

        output.WriteLine($"shipped configuration: ingestion disconnected {kicked} time(s), received {received} of 10 messages published after the attempt");
        Assert.Equal(0, kicked);
        Assert.Equal(10, received);
    }

    [Fact]
    public async Task With_mosquittos_default_the_same_connection_takes_ingestions_session_over()
    {
        var (kicked, _) = await HijackAsync(config => config.WithDefaultFor("use_username_as_clientid"));

        output.WriteLine($"use_username_as_clientid at its default (false): ingestion disconnected {kicked} time(s)");
        Assert.True(kicked > 0, "the hijacking connection did not take ingestion's session over with mosquitto's default");
    }

    public void Dispose() => _files.Dispose();

    /// <summary>
    /// Ingestion (persistent session, client id "ingestion") subscribes; gw-1 connects with client id "ingestion" and
    /// Clean Start (which would discard the session it takes over); gw-1 publishes 10 messages on its own topic.
    /// Returns how often ingestion was disconnected and how many of the 10 it received.
    /// </summary>
    private async Task<(int Kicked, int Received)> HijackAsync(Func<MosquittoConfig, MosquittoConfig> tweak)
    {
        await _files.AddAsync("add-ingestion.sh", "ingestion", IngestionPassword);
        await _files.AddAsync("add-gateway.sh", "plant-1", "gw-1", GatewayPassword);
        await using var broker = await _files.StartBrokerAsync(tweak);
        var receiver = new Receiver();
        using var ingestion = Mqtt.Factory.CreateMqttClient();
        receiver.Attach(ingestion);
        var kicked = 0;
        ingestion.DisconnectedAsync += _ =>
        {
            Interlocked.Increment(ref kicked);
            return Task.CompletedTask;
        };
        await ingestion.ConnectAsync(Mqtt.Options(broker.Port, "ingestion", "ingestion", IngestionPassword, cleanStart: false, sessionExpirySeconds: 3600));
        var granted = await ingestion.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("prov/v1/+/+/+", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, granted.Items.Single().ResultCode);

        using (var hijacker = await Mqtt.ConnectAsync(Mqtt.Options(broker.Port, "ingestion", "gw-1", GatewayPassword, cleanStart: true)))
        {
            Assert.Equal(10, await Mqtt.PublishSequenceAsync(hijacker, "prov/v1/plant-1/gw-1/seal", 10));
            await hijacker.DisconnectAsync();
        }

        var received = await receiver.WaitForAsync(10, quiet: TimeSpan.FromSeconds(2), limit: TimeSpan.FromSeconds(30));
        var kickedByOthers = Volatile.Read(ref kicked);
        if (ingestion.IsConnected)
        {
            await ingestion.DisconnectAsync();
        }

        return (kickedByOthers, received);
    }
}
