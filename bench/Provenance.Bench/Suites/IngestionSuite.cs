using System.Globalization;
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

    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);

    public string Name => "ingestion";

    /// <summary>Each run's window (the first <see cref="Warmup"/> of it not counted).</summary>
    public static TimeSpan Duration(BenchSettings settings) => TimeSpan.FromSeconds(settings.Quick ? 6 : 10);

    /// <summary>Codes each gateway has for one run: more than it can seal in the window.</summary>
    public static int PerGatewayPerRun(BenchSettings settings) => settings.Quick ? 10_000 : 40_000;

    /// <summary>Site, product, <see cref="Gateways"/> gateways and <paramref name="codes"/> codes, set up with the CLI.</summary>
    public static async Task<(ProvenanceCli Cli, List<GatewayCredentials> Gateways, IReadOnlyList<string> Codes)> SetUpAsync(ProvenanceCli cli, int codes)
    {
        Log.Info($"ingestion: setting up site, product, gateways and codes with the CLI ({cli.Storage.Name})");
        await cli.AddSiteAndProductAsync();
        var gateways = new List<GatewayCredentials>();
        for (var g = 1; g <= Gateways; g++)
        {
            gateways.Add(await cli.AddGatewayAsync($"gw-{g}"));
        }

        return (cli, gateways, await cli.IssueUrlsAsync(codes));
    }

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var duration = Duration(settings);
        var warmup = Warmup;
        var perGatewayPerRun = PerGatewayPerRun(settings);
        using var temp = new TempDirectory("bench-ingestion-");
        var (cli, gateways, codes) = await SetUpAsync(new ProvenanceCli(temp.Combine("data")), perGatewayPerRun * Gateways * settings.Repeats);
        var baseline = new List<IngestionSample>();
        var ours = new List<IngestionSample>();
        double peakRss;
        await using (var serve = await ServeProcess.StartAsync(cli.DataDirectory))
        {
            for (var r = 0; r < settings.Repeats; r++)
            {
                var slice = codes.Skip(r * perGatewayPerRun * Gateways).Take(perGatewayPerRun * Gateways).ToList();
                var counted = await BareSubscriberBaseline.RunAsync(gateways, slice, Batch, duration, warmup, cancellationToken);
                baseline.Add(counted);
                Log.Info(string.Create(CultureInfo.InvariantCulture, $"ingestion baseline run {r + 1}: {counted.EventsPerSecond:N0} events/s, {counted.MessagesPerSecond:N0} msg/s at the subscriber; fleet PUBACK p50 {counted.P50:N2} ms p99 {counted.P99:N2} ms"));

                var result = await new SimulatorFleet("127.0.0.1", serve.MqttPort, gateways, slice, Batch).RunAsync(duration, warmup, cancellationToken);
                ours.Add(new IngestionSample(result.EventsPerSecond, result.MessagesPerSecond, result.LatencyP50Ms, result.LatencyP99Ms));
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

    private static ResultRow Row(string metric, List<IngestionSample> baseline, List<IngestionSample> ours, Func<IngestionSample, double> pick, double? goal, string memory = "", string notes = "") =>
        ResultRow.Paired("ingestion", metric, baseline.Select(pick).ToList(), ours.Select(pick).ToList(), goal, memory, notes);
}
