using System.Globalization;
using Provenance.FirmwareSim;
using Provenance.Bench.Harness;

namespace Provenance.Bench.Suites;

/// <summary>
/// Ingestion end to end. Baseline: the same simulator fleet publishing to a mosquitto started here, counted by a bare
/// MQTTnet QoS 1 subscriber. Ours: the fleet publishing to <c>provenance serve</c>'s embedded broker, where a PUBACK
/// means verified, attested and durably committed. Rates come from the acknowledgements; latency is publish→PUBACK.
/// </summary>
public sealed class IngestionSuite : IBenchSuite
{
    public const int Gateways = 8;
    public const int Batch = 50;

    public string Name => "ingestion";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.FromSeconds(settings.Quick ? 6 : 10);
        var warmup = TimeSpan.FromSeconds(2);
        var perGatewayPerRun = settings.Quick ? 10_000 : 40_000;
        using var temp = new TempDirectory("bench-ingestion-");
        var cli = new ProvenanceCli(temp.Combine("data"));
        Log.Info("ingestion: setting up site, product, gateways and codes with the CLI");
        await cli.AddSiteAndProductAsync();
        var gateways = new List<GatewayCredentials>();
        for (var g = 1; g <= Gateways; g++)
        {
            gateways.Add(await cli.AddGatewayAsync($"gw-{g}"));
        }

        var codes = await cli.IssueUrlsAsync(perGatewayPerRun * Gateways * settings.Repeats);
        var baseline = new List<FleetSample>();
        var ours = new List<FleetSample>();
        double peakRss;
        await using (var serve = await ServeProcess.StartAsync(cli.DataDirectory))
        {
            for (var r = 0; r < settings.Repeats; r++)
            {
                var slice = codes.Skip(r * perGatewayPerRun * Gateways).Take(perGatewayPerRun * Gateways).ToList();
                await using (var mosquitto = await MosquittoProcess.StartAsync())
                await using (var counter = await CounterProcess.StartAsync(mosquitto.Port, Batch))
                {
                    await counter.ResetAsync();
                    // mosquitto does not check tags: repeat the slice so that the baseline fleet is still busy when the window ends.
                    var repeated = Enumerable.Repeat(slice, 25).SelectMany(c => c).ToList();
                    var fleet = await new SimulatorFleet("127.0.0.1", mosquitto.Port, gateways, repeated, Batch, ack: AckMode.Broker).RunAsync(duration, warmup, cancellationToken);
                    var counted = await counter.RatesAsync(warmup);
                    baseline.Add(new FleetSample(counted.EventsPerSecond, counted.MessagesPerSecond, fleet.LatencyP50Ms, fleet.LatencyP99Ms));
                    Log.Info(string.Create(CultureInfo.InvariantCulture, $"ingestion baseline run {r + 1}: {counted.EventsPerSecond:N0} events/s, {counted.MessagesPerSecond:N0} msg/s at the subscriber; fleet PUBACK p50 {fleet.LatencyP50Ms:N2} ms p99 {fleet.LatencyP99Ms:N2} ms"));
                }

                var result = await new SimulatorFleet("127.0.0.1", serve.MqttPort, gateways, slice, Batch).RunAsync(duration, warmup, cancellationToken);
                ours.Add(new FleetSample(result.EventsPerSecond, result.MessagesPerSecond, result.LatencyP50Ms, result.LatencyP99Ms));
                Log.Info(string.Create(CultureInfo.InvariantCulture, $"ingestion ours run {r + 1}: {result.EventsPerSecond:N0} events/s, {result.MessagesPerSecond:N0} msg/s acknowledged ({result.EventsAcked:N0} events in {result.Window.TotalSeconds:N1} s); publish→commit p50 {result.LatencyP50Ms:N2} ms p99 {result.LatencyP99Ms:N2} ms; serve RSS {serve.PeakRssMiB():N0} MiB"));
            }

            peakRss = serve.PeakRssMiB();
        }

        var memory = string.Create(CultureInfo.InvariantCulture, $"serve VmHWM {peakRss:N0} MiB");
        var runs = $"{Gateways} gateways × batch {Batch}, Rate=0, GNSS 1 s; {settings.Repeats}× {duration.TotalSeconds:N0} s, median";
        return
        [
            Row("events/s", baseline, ours, s => s.EventsPerSecond, 0.3, memory, runs + "; baseline counted by a bare subscriber in its own process"),
            Row("messages/s", baseline, ours, s => s.MessagesPerSecond, null, memory, "seal + GNSS messages"),
            Row("publish→PUBACK p50 ms (lower is better)", baseline, ours, s => s.P50, null, string.Empty, "ours: PUBACK = committed (WAL, synchronous=FULL); baseline: mosquitto in-memory"),
            Row("publish→PUBACK p99 ms (lower is better)", baseline, ours, s => s.P99, null),
            new ResultRow("memory", "`serve` peak MiB under ingestion load", double.NaN, peakRss, null, string.Empty, "VmHWM of the serve process over every ingestion run") { Limit = 300 },
        ];
    }

    private static ResultRow Row(string metric, List<FleetSample> baseline, List<FleetSample> ours, Func<FleetSample, double> pick, double? goal, string memory = "", string notes = "") =>
        ResultRow.Paired("ingestion", metric, baseline.Select(pick).ToList(), ours.Select(pick).ToList(), goal, memory, notes);

    private sealed record FleetSample(double EventsPerSecond, double MessagesPerSecond, double P50, double P99);
}
