using System.Diagnostics;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// A QoS 1 stream at full rate, one seal per message, must not stall. MQTTnet's default 8 KiB socket buffers were
/// measured here to stall such streams for minutes; with 1 MiB buffers they do not. The run stops only on a stall
/// (no acknowledgement for 20 s), never because the machine is slow; the rate is reported, never asserted.
/// </summary>
public sealed class FullRateStreamTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(20);

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

        // A stall is what fails this test, not a slow machine: the run is stopped only when acknowledgements stop
        // coming for longer than the stall limit (a loaded CI machine ran it at 69 msg/s with 1.3 s gaps at most).
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var run = simulator.RunAsync(cts.Token);
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1)));
            if (clock.Elapsed - last > StallLimit)
            {
                await cts.CancelAsync();
            }
        }

        var result = await run;

        output.WriteLine($"{result.SealsAcked} seals in {clock.Elapsed.TotalSeconds:N1} s = {result.SealsAcked / clock.Elapsed.TotalSeconds:N0} msg/s; longest gap between acknowledgements {longestGap.TotalMilliseconds:N0} ms");
        Assert.True(result.Outcome == SimulatorOutcome.Completed, $"{result.Outcome}: no acknowledgement for the last {clock.Elapsed - last} ({result.SealsAcked} of {Seals} acknowledged)");
        Assert.Equal(Seals, result.SealsAcked);
        Assert.True(longestGap < StallLimit, $"the stream stalled for {longestGap}");
    }
}
