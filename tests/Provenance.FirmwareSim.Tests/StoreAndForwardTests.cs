using Provenance.FirmwareSim.Tests.Infrastructure;

namespace Provenance.FirmwareSim.Tests;

/// <summary>Store-and-forward against the in-process MQTTnet broker.</summary>
public sealed class StoreAndForwardTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TestGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task Seals_queued_with_no_broker_listening_all_arrive_in_order_once_it_starts()
    {
        var port = FreePort.Next();
        // The gateway is held out until the subscriber is in, so the subscriber sees everything from the first message.
        await using var broker = InProcessBroker.Create(port, holdClientId: TestGateway.GatewayId);
        var simulator = new GatewaySimulator(_gateway.Options(port, codes: 100) with { Rate = 500 });
        var run = simulator.RunAsync(CancellationToken.None);
        await simulator.WhenAsync(c => c.SealsQueued >= 40 && c.ConnectFailures >= 1, Timeout, "40 seals queued with the broker down");
        Assert.Equal(0, simulator.Counters.MessagesSent);

        await broker.StartAsync();
        await using var subscriber = await Subscriber.ConnectAsync(port);
        broker.Release();
        var result = await run.WaitAsync(Timeout);

        Assert.Equal(SimulatorOutcome.Completed, result.Outcome);
        Assert.Equal(0, result.Backlog);
        await subscriber.Received.WaitUntilAsync(m => Assertions.SealEventCount(m) >= 100, Timeout, "100 seal events");
        var received = subscriber.Received.Snapshot();
        var events = Messages.SealEvents(received);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(_gateway.AckedIds(), events.Select(e => e.EventId));
        var gnssTimes = received.Where(m => m.IsGnss).Select(m => Messages.Gnss(m).SentAt).ToList();
        Assert.NotEmpty(gnssTimes);
        Assert.Equal(gnssTimes.Order(), gnssTimes);
    }

    [Fact]
    public async Task A_restart_mid_queue_loses_nothing_and_resends_nothing_acknowledged()
    {
        var port = FreePort.Next();
        var options = _gateway.Options(port, codes: 60);

        // Run 1: the broker is down; everything is sealed and queued, then the simulator stops.
        using (var stop = new CancellationTokenSource())
        {
            var first = new GatewaySimulator(options);
            var run = first.RunAsync(stop.Token);
            await first.WhenAsync(c => c.SealsQueued == 60 && c.ConnectFailures >= 1, Timeout, "60 seals queued");
            await stop.CancelAsync();
            var result = await run.WaitAsync(Timeout);
            Assert.Equal(SimulatorOutcome.Cancelled, result.Outcome);
            Assert.True(result.Backlog >= 12, $"backlog {result.Backlog}");
        }

        await using var broker = await InProcessBroker.StartAsync(port);
        await using var subscriber = await Subscriber.ConnectAsync(port);

        // Run 2: the broker is back; stop right after the fourth seal message is acknowledged.
        using (var stop = new CancellationTokenSource())
        {
            var second = new GatewaySimulator(options);
            var sealAcks = 0;
            second.MessageAcknowledged += (_, e) =>
            {
                if (e.Message.EventIds.Count > 0 && ++sealAcks == 4)
                {
                    stop.Cancel();
                }
            };
            var result = await second.RunAsync(stop.Token).WaitAsync(Timeout);
            Assert.Equal(SimulatorOutcome.Cancelled, result.Outcome);
            Assert.Equal(0, result.SealsQueued);
            Assert.Equal(20, result.SealsAcked);
        }

        var ackedBeforeRestart = _gateway.AckedIds();
        Assert.Equal(20, ackedBeforeRestart.Count);
        var receivedBeforeRestart = subscriber.Received.Snapshot().Count;

        // Run 3: resumes the queue and finishes.
        var final = await new GatewaySimulator(options).RunAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(SimulatorOutcome.Completed, final.Outcome);
        Assert.Equal(0, final.SealsQueued);
        Assert.Equal(40, final.SealsAcked);

        await subscriber.Received.WaitUntilAsync(m => Assertions.SealEventCount(m) >= 60, Timeout, "60 seal events");
        var received = subscriber.Received.Snapshot();
        var events = Messages.SealEvents(received);
        Assert.Equal(60, events.Count);
        Assertions.StrictlyIncreasingSequence(events);
        Assert.Equal(TestGateway.Codes(60), events.Select(e => e.Tag));
        var afterRestart = Messages.SealEvents(received.Skip(receivedBeforeRestart)).Select(e => e.EventId).ToHashSet();
        Assert.DoesNotContain(ackedBeforeRestart, afterRestart.Contains);
        var acked = _gateway.AckedIds();
        Assert.Equal(60, acked.Distinct().Count());
        Assert.Equal(events.Select(e => e.EventId), acked);
    }
}
