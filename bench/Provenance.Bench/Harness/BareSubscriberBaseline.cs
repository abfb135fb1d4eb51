using Provenance.FirmwareSim;

namespace Provenance.Bench.Harness;

/// <summary>
/// The ingestion baseline: the simulator fleet publishing to a mosquitto started for the run, counted by a bare MQTTnet
/// QoS 1 subscriber in its own process (<see cref="CounterProcess"/>). Rates come from the subscriber, latency from
/// the fleet's PUBACKs.
/// </summary>
public static class BareSubscriberBaseline
{
    public static async Task<IngestionSample> RunAsync(IReadOnlyList<GatewayCredentials> gateways, IReadOnlyList<string> slice, int batch, TimeSpan duration, TimeSpan warmup, CancellationToken cancellationToken)
    {
        await using var mosquitto = await MosquittoProcess.StartAsync();
        await using var counter = await CounterProcess.StartAsync(mosquitto.Port, batch);
        await counter.ResetAsync();
        // mosquitto does not check tags: repeat the slice so that the baseline fleet is still busy when the window ends.
        var repeated = Enumerable.Repeat(slice, 25).SelectMany(c => c).ToList();
        var fleet = await new SimulatorFleet("127.0.0.1", mosquitto.Port, gateways, repeated, batch, ack: AckMode.Broker).RunAsync(duration, warmup, cancellationToken);
        var counted = await counter.RatesAsync(warmup);
        return new IngestionSample(counted.EventsPerSecond, counted.MessagesPerSecond, fleet.LatencyP50Ms, fleet.LatencyP99Ms);
    }
}
