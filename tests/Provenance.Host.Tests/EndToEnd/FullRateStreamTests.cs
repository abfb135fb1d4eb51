using System.Diagnostics;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// A QoS 1 stream at full rate, one seal per message, must not stall. MQTTnet's default 8 KiB socket buffers were
/// measured here to stall such streams for minutes; with 1 MiB buffers they do not. The generous timeout catches a
/// stall (minutes), not a slow machine; the rate is reported, never asserted.
/// </summary>
public sealed class FullRateStreamTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_thousand_messages_at_full_rate_are_all_acknowledged_without_a_stall()
    {
        const int Seals = 20_000;
        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(Seals);
        await node.StartAsync();
        using var key = Simulation.LoadKey(gateway);
        var options = Simulation.Options(node, gateway, urls, key) with { Batch = 1, GnssInterval = TimeSpan.FromSeconds(1) };
        var simulator = new GatewaySimulator(options, TextWriter.Null);
        var clock = Stopwatch.StartNew();
        var longestGap = TimeSpan.Zero;
        var last = clock.Elapsed;
        simulator.MessageAcknowledged += (_, _) =>
        {
            var now = clock.Elapsed;
            if (now - last > longestGap)
            {
                longestGap = now - last;
            }

            last = now;
        };

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var result = await simulator.RunAsync(cts.Token);

        output.WriteLine($"{result.SealsAcked} seals in {clock.Elapsed.TotalSeconds:N1} s = {result.SealsAcked / clock.Elapsed.TotalSeconds:N0} msg/s; longest gap between acknowledgements {longestGap.TotalMilliseconds:N0} ms");
        Assert.Equal(SimulatorOutcome.Completed, result.Outcome);
        Assert.Equal(Seals, result.SealsAcked);
        Assert.True(longestGap < TimeSpan.FromSeconds(20), $"the stream stalled for {longestGap}");
    }
}
