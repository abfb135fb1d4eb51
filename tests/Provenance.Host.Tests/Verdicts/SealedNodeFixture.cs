using Provenance.Host.Tests.EndToEnd;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Verdicts;

/// <summary>
/// One node set up through public interfaces for the verdict tests: CLI set-up and a producer key, 40 tags of lot L1
/// (the first 30 sealed over MQTT by the real gateway simulator) and 4 unsealed tags of lot L2. Each test uses its own
/// tags, so tests do not depend on one another.
/// </summary>
public sealed class SealedNodeFixture : IAsyncLifetime
{
    /// <summary>How long after a seal-opened event scans are still 'opened' (then they are suspect_clone); short, because the event's time is the server's.</summary>
    public static readonly TimeSpan OpenedGrace = TimeSpan.FromSeconds(5);

    public ProvenanceNode Node { get; } = new();

    public string ProducerKey { get; private set; } = string.Empty;

    public IReadOnlyList<string> Sealed { get; private set; } = [];

    public IReadOnlyList<string> Unsealed { get; private set; } = [];

    public IReadOnlyList<string> Lot2 { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var gateway = await Node.SetUpAsync();
        var (_, urls) = await Node.IssueAsync(40);
        (_, Lot2) = await Node.IssueAsync(4, "L2");
        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");
        await Node.StartAsync(ProvenanceNode.TrustLoopbackProxy, $"--Verdicts:OpenedGrace={OpenedGrace}");
        using var key = Simulation.LoadKey(gateway);
        await Simulation.RunAsync(Simulation.Options(Node, gateway, [], key) with { Duration = TimeSpan.FromSeconds(1.5) }, TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        await Simulation.RunAsync(Simulation.Options(Node, gateway, urls.Take(30).ToList(), key), TimeSpan.FromSeconds(60));
        await SealToVerdictTests.WaitForLedgerAsync(Node);
        Sealed = urls.Take(30).ToList();
        Unsealed = urls.Skip(30).ToList();
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
