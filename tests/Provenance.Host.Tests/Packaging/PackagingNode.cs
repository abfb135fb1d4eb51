using System.Text;
using Provenance.Core.Gateways;
using Provenance.Core.Signing;
using Provenance.FirmwareSim;
using Provenance.FirmwareSim.Queue;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Packaging;

/// <summary>
/// A running node whose line (the real gateway simulator over MQTT) sealed 12 bottles, packed them four to a case and
/// the three cases onto a pallet with signed pack messages. Bottles 20 and up are issued and untouched, for tests that
/// pack through the producer API.
/// </summary>
public sealed class PackagingNode : IAsyncLifetime
{
    public const int LineBottles = 12;

    public ProvenanceNode Node { get; } = new();

    public GatewayCredentials Gateway { get; private set; } = null!;

    public string ProducerKey { get; private set; } = string.Empty;

    public IReadOnlyList<string> Urls { get; private set; } = [];

    /// <summary>The pack events the simulator sent, as decoded from its signed messages.</summary>
    public IReadOnlyList<PackEvent> LinePacks { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Gateway = await Node.SetUpAsync();
        (_, Urls) = await Node.IssueAsync(40);
        await Node.StartAsync();
        ProducerKey = await ApiCalls.CreateKeyAsync(Node, "producer");
        using var key = Simulation.LoadKey(Gateway);
        (LinePacks, _) = await RunLineAsync(Simulation.Options(Node, Gateway, Urls.Take(LineBottles).ToList(), key) with { PackEvery = 4, PalletEvery = 3 });
    }

    /// <summary>
    /// Runs the simulator to completion (every message acknowledged after ingestion's commit) and returns the pack
    /// events it sent and the signed pack messages as published.
    /// </summary>
    public static async Task<(IReadOnlyList<PackEvent> Packs, IReadOnlyList<byte[]> Messages)> RunLineAsync(SimulatorOptions options)
    {
        var packs = new List<PackEvent>();
        var payloads = new List<byte[]>();
        var simulator = new GatewaySimulator(options, TextWriter.Null);
        simulator.MessageQueued += (_, e) =>
        {
            if (e.Message.Kind == GatewayMessageKind.Pack && Decode(e.Message) is { } message)
            {
                lock (packs)
                {
                    packs.AddRange(message.Packs);
                    payloads.Add(e.Message.Payload);
                }
            }
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await simulator.RunAsync(cts.Token);
        Assert.True(result.Outcome == SimulatorOutcome.Completed, $"simulator ended {result.Outcome} with {result.Backlog} message(s) unacknowledged");
        return (packs, payloads);
    }

    /// <summary>A container code (SSCC element string) as the scan URL a label would carry on this node.</summary>
    public string ScanUrl(string sscc) => $"http://{Node.Authority}/00/{sscc[2..]}";

    public async Task DisposeAsync() => await Node.DisposeAsync();

    private static PackMessage? Decode(QueuedMessage message)
    {
        Assert.True(CompactJws.TryDecode(Encoding.ASCII.GetString(message.Payload), out var token, out _, out var error), error);
        Assert.True(GatewayMessageCodec.TryReadPayload(token!.Payload, GatewayJsonContext.Default.PackMessage, out var pack, out error), error);
        return pack;
    }
}
