using Provenance.Host.Tests.EndToEnd;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Custody;

/// <summary>
/// One node for the dealer custody tests, set up through public interfaces: CLI set-up and a producer key, 20 bottles
/// sealed over MQTT by the real gateway simulator, alerts delivered to a signed webhook (<see cref="WebhookInbox"/>),
/// and three independent weak signals grading up to a moderate alert. Each test uses its own bottles and dealers.
/// </summary>
public sealed class CustodyNodeFixture : IAsyncLifetime
{
    public const int WeakSignalsForModerate = 3;

    public ProvenanceNode Node { get; } = new();

    public WebhookInbox Webhook { get; } = new();

    public string ProducerKey { get; private set; } = string.Empty;

    public IReadOnlyList<string> Sealed { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Webhook.StartAsync();
        var gateway = await Node.SetUpAsync();
        var (_, urls) = await Node.IssueAsync(20);
        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");
        await Node.StartAsync(ProvenanceNode.TrustLoopbackProxy, $"--Webhooks:Url={Webhook.Url}", $"--Webhooks:Secret={WebhookInbox.Secret}",
            "--Webhooks:PollInterval=00:00:00.200", $"--Custody:WeakSignalsForModerate={WeakSignalsForModerate}");
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunGnssOnlyAsync(Simulation.Options(Node, gateway, [], key), TimeSpan.FromSeconds(1.5));
        await Simulation.RunAsync(Simulation.Options(Node, gateway, urls, key), TimeSpan.FromSeconds(60));
        await SealToVerdictTests.WaitForLedgerAsync(Node);
        Sealed = urls;
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Webhook.DisposeAsync();
    }
}

/// <summary>The custody test classes share one <see cref="CustodyNodeFixture"/> (bottles are split between them).</summary>
[CollectionDefinition(Name)]
public sealed class CustodyCollection : ICollectionFixture<CustodyNodeFixture>
{
    public const string Name = "dealer custody";
}
