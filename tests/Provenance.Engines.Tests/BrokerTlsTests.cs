using System.Net;
using Provenance.Engines.Tests.Support;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// Issue 21 item 8: TLS to mosquitto's shipped TLS listener with a plant CA. The broker certificate names the broker
/// only by its IP address; ingestion (<c>Mqtt:Host</c> = that address) and firmware-sim (<c>--host</c> = that address,
/// <c>--ca-file</c>) accept it, and a client that dials a name the certificate does not carry is refused.
/// </summary>
public sealed class BrokerTlsTests(ITestOutputHelper output)
{
    private const int Seals = 30;

    [Fact]
    public async Task Ingestion_and_the_gateway_accept_a_broker_certificate_whose_SAN_is_the_IP_address_they_dial()
    {
        using var tls = TlsFiles.Create([IPAddress.Loopback], []);
        var node = new ProvenanceNode();
        await using var nodeScope = node;
        var gateway = await node.SetUpAsync();
        var (_, codes) = await node.IssueAsync(Seals);
        await using var broker = await MosquittoRig.StartWithTlsAsync(tls, gateway);
        using var key = Simulation.LoadKey(gateway);
        await using var ingestion = new IngestionInstance(node.DataDirectory, node.WorkDirectory,
        [
            .. broker.HostArguments("ingest-1", sharedGroup: ""), $"--Mqtt:Port={broker.TlsPort}", "--Mqtt:UseTls=true", $"--Mqtt:CaFile={tls.CaPath}",
        ]);
        await ingestion.StartAsync();
        var ready = await ingestion.WaitForReadinessAsync(200, TimeSpan.FromMinutes(1));

        var options = Simulation.Options(node, gateway, codes, key) with { Port = broker.TlsPort!.Value, UseTls = true, CaFile = tls.CaPath, GnssInterval = TimeSpan.Zero, ReconnectDelayMax = TimeSpan.FromMilliseconds(500) };
        var result = await Simulation.RunAsync(options, TimeSpan.FromMinutes(2));
        var byName = new GatewaySimulator(options with { Host = "localhost", Duration = TimeSpan.FromSeconds(20), Codes = [] , GnssInterval = TimeSpan.FromSeconds(1) }, TextWriter.Null);
        var refusal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        byName.ConnectionChanged += (_, e) =>
        {
            if (!e.Connected && e.Error is not null)
            {
                refusal.TrySetResult(e.Error);
            }
        };
        using var stop = new CancellationTokenSource();
        var wrongName = byName.RunAsync(stop.Token);
        var why = await refusal.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await stop.CancelAsync();
        await wrongName;
        await ingestion.WaitForDrainedAsync(TimeSpan.FromMinutes(1));

        output.WriteLine($"ingestion over TLS: {ready.GetProperty("checks").GetProperty("broker")}");
        output.WriteLine($"gateway over TLS: {result.SealsAcked} seals acknowledged end to end ({result.Outcome})");
        output.WriteLine($"gateway dialling 'localhost' (not in the certificate): {why}");
        Assert.Contains($":{broker.TlsPort}", ready.GetProperty("checks").GetProperty("broker").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(Seals, result.SealsAcked);
        Assert.Equal(Seals, HostDatabase.SealEventIds(node.DataDirectory).Count);
        Assert.Equal(0, byName.Counters.Connects);
    }
}
