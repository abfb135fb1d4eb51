using System.Collections.Concurrent;
using System.Diagnostics;
using Provenance.FirmwareSim;

namespace Provenance.Bench.Harness;

/// <summary>
/// Several <see cref="GatewaySimulator"/> instances in this process, publishing signed seal batches and GNSS over MQTT QoS 1
/// to one broker (as fast as acknowledged, or <c>rate</c> seals/s each). Each simulator has one message in flight, so publish→PUBACK latency of a message is the time from
/// when it could be sent (queued, and the previous message acknowledged) to its acknowledgement. <paramref name="ack"/> is the
/// simulators' acknowledgement mode: a raw mosquitto baseline needs <see cref="AckMode.Broker"/>, because mosquitto without the shipped ACL
/// grants the end-to-end acknowledgement topic and <see cref="AckMode.Auto"/> would then wait for an ingestion that is not there.
/// </summary>
public sealed class SimulatorFleet(string host, int port, IReadOnlyList<GatewayCredentials> gateways, IReadOnlyList<string> codes, int batch, double rate = 0, AckMode ack = AckMode.Auto)
{
    /// <summary>Runs every simulator for <paramref name="duration"/> (or until its codes are sealed); the first <paramref name="warmup"/> is not counted.</summary>
    public async Task<FleetResult> RunAsync(TimeSpan duration, TimeSpan warmup, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var acks = new ConcurrentQueue<(long Ticks, int Events, double LatencyMs)>();
        var slice = codes.Count / gateways.Count;
        var runs = new List<Task<SimulatorResult>>();
        for (var g = 0; g < gateways.Count; g++)
        {
            var gateway = gateways[g];
            var sim = new GatewaySimulator(new SimulatorOptions
            {
                Key = gateway.Key,
                GatewayId = gateway.Id,
                SiteId = ProvenanceCli.SiteId,
                Latitude = ProvenanceCli.Latitude,
                Longitude = ProvenanceCli.Longitude,
                Codes = codes.Skip(g * slice).Take(slice).ToList(),
                Rate = rate,
                Ack = ack,
                Batch = batch,
                GnssInterval = TimeSpan.FromSeconds(1),
                Duration = duration,
                Host = host,
                Port = port,
                Password = gateway.Password,
                ProgressInterval = TimeSpan.Zero,
                Seed = g,
            });
            var queued = new ConcurrentDictionary<long, long>();
            long lastAck = 0;
            sim.MessageQueued += (_, e) => queued[e.Index] = clock.ElapsedTicks;
            sim.MessageAcknowledged += (_, e) =>
            {
                var now = clock.ElapsedTicks;
                queued.TryRemove(e.Index, out var queuedAt);
                var start = Math.Max(queuedAt, lastAck);
                lastAck = now;
                acks.Enqueue((now, e.Message.EventIds.Count, (now - start) * 1000.0 / Stopwatch.Frequency));
            };
            runs.Add(Task.Run(() => sim.RunAsync(cancellationToken), cancellationToken));
        }

        var results = await Task.WhenAll(runs);
        if (acks.IsEmpty)
        {
            throw new InvalidOperationException($"no message was acknowledged by the broker at {host}:{port}; the simulators ended with: {string.Join("; ", results.Select(r => $"{r.Outcome} ({r.SealsQueued} queued, {r.SealsAcked} acknowledged, backlog {r.Backlog})"))}");
        }

        var from = (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var steady = acks.Where(a => a.Ticks >= from).ToList();
        if (steady.Count < 2)
        {
            steady = [.. acks];
        }

        var window = TimeSpan.FromSeconds((steady.Max(a => a.Ticks) - Math.Min(from, steady.Min(a => a.Ticks))) / (double)Stopwatch.Frequency);
        var events = steady.Sum(a => (long)a.Events);
        var seconds = Math.Max(window.TotalSeconds, 0.001);
        var latencies = steady.Select(a => a.LatencyMs).ToList();
        return new FleetResult(events / seconds, steady.Count / seconds, events, steady.Count, Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.99), window);
    }
}
