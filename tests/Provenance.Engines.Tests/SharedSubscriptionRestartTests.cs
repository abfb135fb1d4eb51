using Provenance.Engines.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// A measured mosquitto 2.0 behaviour the product has to live with: after a restart from its database a persistent
/// session comes back (session present) with its plain subscription but without its shared subscription, so QoS 1
/// messages published before the subscriber subscribes again find no subscriber and are dropped. Ingestion therefore
/// subscribes on every connect (MqttSubscriber), which narrows the loss to the reconnect window.
/// </summary>
public sealed class SharedSubscriptionRestartTests(ITestOutputHelper output)
{
    private const int Count = 300;

    [Fact]
    public async Task After_a_mosquitto_restart_a_persistent_session_keeps_its_plain_subscription_but_not_its_shared_one()
    {
        await using var broker = await MosquittoRig.StartAsync(OfflineSubscriber.Gateway);

        var plain = await OfflineSubscriber.RunAsync(broker, "ingest-plain", "prov/v1/+/+/+", cleanStart: false, sessionExpiry: 3600, Count, broker.RestartAsync);
        var shared = await OfflineSubscriber.RunAsync(broker, "ingest-shared", "$share/ingestion/prov/v1/+/+/+", cleanStart: false, sessionExpiry: 3600, Count, broker.RestartAsync);

        output.WriteLine($"[figures] plain subscription, broker restarted while away: published {Count}, received {plain.Received} (session present {plain.SessionPresent})");
        output.WriteLine($"[figures] shared subscription, broker restarted while away: published {Count}, received {shared.Received} (session present {shared.SessionPresent})");
        Assert.True(plain.SessionPresent);
        Assert.Equal(Count, plain.Received);
        Assert.True(shared.SessionPresent);
        Assert.Equal(0, shared.Received);
    }
}
