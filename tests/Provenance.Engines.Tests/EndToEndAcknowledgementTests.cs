using Provenance.Engines.Tests.Support;
using Provenance.FirmwareSim;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// Issue 21 item 3: a broker's PUBACK only says "in memory". With ingestion away, mosquitto (shipped configuration,
/// autosave every 10 s) acknowledges a gateway's seals and is killed (SIGKILL) at once, inside its autosave window.
/// A gateway that releases a seal only on ingestion's end-to-end acknowledgement (after the durable commit) loses none;
/// the same gateway releasing on PUBACK loses the seals the broker had not saved.
/// </summary>
public sealed class EndToEndAcknowledgementTests(ITestOutputHelper output)
{
    private const int Seals = 200;

    [Fact]
    public async Task Mosquitto_killed_right_after_acknowledging_seals_with_ingestion_away_loses_none_when_the_gateway_waits_for_ingestion()
    {
        var (figures, counters) = await RunAsync(AckMode.Ingestion);

        figures.WriteTo(output);
        Assert.True(counters.EndToEndAcknowledgement, "the simulator did not use the end-to-end acknowledgement");
        Assert.True(counters.SealsPublished >= Seals, $"mosquitto had acknowledged only {counters.SealsPublished} seals when it was killed");
        figures.AssertExactlyOnce();
    }

    [Fact]
    public async Task The_same_crash_loses_seals_when_the_gateway_releases_them_on_PUBACK()
    {
        var (figures, counters) = await RunAsync(AckMode.Broker);

        figures.WriteTo(output);
        Assert.False(counters.EndToEndAcknowledgement);
        Assert.Equal(Seals, figures.Acknowledged);
        Assert.True(figures.Lost > 0, $"nothing was lost on PUBACK: the crash did not hit mosquitto's autosave window ({figures})");
    }

    /// <summary>
    /// Ingestion subscribes once (plain subscription, the single-instance default) and stops; the simulator publishes
    /// every seal while ingestion is away; mosquitto is SIGKILLed right after its PUBACK of the last one and started again;
    /// then ingestion comes back and the simulator runs until its queue is empty (or gives up after its duration).
    /// </summary>
    private async Task<(StreamFigures Figures, SimulatorCounters Counters)> RunAsync(AckMode ack)
    {
        await using var rig = await EngineRig.StartAsync(Seals, withInflux: false);
        await using var ingestion = rig.PlainInstance("ingest-1");
        await ingestion.StartAsync();
        await ingestion.StopAsync();

        var options = rig.SimulatorOptions(rate: 0) with { Ack = ack, GnssInterval = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(90) };
        var simulator = new GatewaySimulator(options, TextWriter.Null);
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        simulator.MessagePublished += (_, _) =>
        {
            if (simulator.Counters.SealsPublished >= Seals)
            {
                published.TrySetResult();
            }
        };
        var run = simulator.RunAsync(CancellationToken.None);
        await published.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await rig.Broker.KillAsync();
        output.WriteLine($"mosquitto SIGKILLed after its PUBACK of {simulator.Counters.SealsPublished} seals ({ack} mode; released so far: {simulator.Counters.SealsAcked})");
        await rig.Broker.StartAgainAsync();
        await ingestion.StartAsync();
        var result = await run;
        output.WriteLine($"simulator: {result.Outcome}, {result.SealsAcked} seals released, {result.Backlog} messages left, {simulator.Counters.MessagesResent} resent");
        await ingestion.WaitForDrainedAsync(TimeSpan.FromMinutes(1));
        return (StreamFigures.Of($"seals table ({ack} acknowledgement, broker SIGKILL)", Seals, rig.AcknowledgedEventIds(), HostDatabase.SealEventIds(rig.DataDirectory)), simulator.Counters);
    }
}
