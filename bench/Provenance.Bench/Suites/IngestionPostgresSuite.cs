using System.Globalization;
using Provenance.Bench.Harness;

namespace Provenance.Bench.Suites;

/// <summary>
/// Ingestion on PostgreSQL next to SQLite: the <see cref="IngestionSuite"/>'s load (eight simulators, batch 50, as
/// fast as acknowledged) against <c>serve</c> with <c>Storage:Provider=postgres</c> on a fresh database of a cluster
/// started here, and against <c>serve</c> on SQLite, each repeat measuring the bare-subscriber baseline, SQLite and
/// PostgreSQL back to back. Each run waits for the ledger sink to catch up before the next starts, so that neither
/// serve's background appends land in the other's window.
/// </summary>
public sealed class IngestionPostgresSuite : IBenchSuite
{
    private const string Label = "ingestion (PostgreSQL)";

    public string Name => "ingestion-postgres";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var duration = IngestionSuite.Duration(settings);
        var perRun = IngestionSuite.PerGatewayPerRun(settings) * IngestionSuite.Gateways;
        await using var postgres = await BenchPostgres.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("ingestion");
        var postgresStorage = NodeStorage.Postgres(connectionString);
        using var temp = new TempDirectory("bench-ingestion-pg-");
        var onSqlite = await IngestionSuite.SetUpAsync(new ProvenanceCli(temp.Combine("sqlite")), perRun * settings.Repeats);
        var onPostgres = await IngestionSuite.SetUpAsync(new ProvenanceCli(temp.Combine("postgres"), postgresStorage), perRun * settings.Repeats);
        var baseline = new List<IngestionSample>();
        var sqlite = new List<IngestionSample>();
        var pg = new List<IngestionSample>();
        await using var sqliteServe = await ServeProcess.StartAsync(onSqlite.Cli.DataDirectory);
        await using var postgresServe = await ServeProcess.StartAsync(onPostgres.Cli.DataDirectory, postgresStorage);
        for (var r = 0; r < settings.Repeats; r++)
        {
            var counted = await BareSubscriberBaseline.RunAsync(onSqlite.Gateways, Slice(onSqlite.Codes, r, perRun), IngestionSuite.Batch, duration, IngestionSuite.Warmup, cancellationToken);
            baseline.Add(counted);
            Log.Info(string.Create(CultureInfo.InvariantCulture, $"ingestion-postgres baseline run {r + 1}: {counted.EventsPerSecond:N0} events/s at the bare subscriber"));
            foreach (var (serve, setUp, samples) in new[] { (sqliteServe, onSqlite, sqlite), (postgresServe, onPostgres, pg) })
            {
                await using var sampler = serve == postgresServe ? PostgresWaitSampler.Start(connectionString) : null;
                var result = await new SimulatorFleet("127.0.0.1", serve.MqttPort, setUp.Gateways, Slice(setUp.Codes, r, perRun), IngestionSuite.Batch)
                    .RunAsync(duration, IngestionSuite.Warmup, cancellationToken);
                if (sampler is not null)
                {
                    Log.Info($"ingestion-postgres run {r + 1}: where PostgreSQL's client backends were (average count over the window)");
                    foreach (var line in await sampler.StopAsync())
                    {
                        Log.Info("  " + line);
                    }
                }
                samples.Add(new IngestionSample(result.EventsPerSecond, result.MessagesPerSecond, result.LatencyP50Ms, result.LatencyP99Ms));
                Log.Info(string.Create(CultureInfo.InvariantCulture, $"ingestion-postgres {setUp.Cli.Storage.Name} run {r + 1}: {result.EventsPerSecond:N0} events/s acknowledged; publish→commit p50 {result.LatencyP50Ms:N2} ms p99 {result.LatencyP99Ms:N2} ms"));
                await serve.WaitForSinkAsync("ledger", TimeSpan.FromMinutes(5), cancellationToken);
            }
        }

        var memory = string.Create(CultureInfo.InvariantCulture, $"serve VmHWM {postgresServe.PeakRssMiB():N0} MiB (SQLite {sqliteServe.PeakRssMiB():N0} MiB)");
        var runs = $"{IngestionSuite.Gateways} gateways × batch {IngestionSuite.Batch}, Rate=0, GNSS 1 s; {settings.Repeats}× {duration.TotalSeconds:N0} s, median";
        return
        [
            Row("events/s on PostgreSQL", baseline, pg, s => s.EventsPerSecond, memory,
                runs + "; baseline counted by a bare subscriber in its own process; PUBACK = committed on PostgreSQL (synchronous_commit=on, fsync=on)"),
            Row("events/s: PostgreSQL / SQLite", sqlite, pg, s => s.EventsPerSecond, string.Empty,
                string.Create(CultureInfo.InvariantCulture, $"baseline = serve on SQLite in the same repeat ({Stats.Median(sqlite.Select(s => s.EventsPerSecond)):N0} events/s, ratio to the bare subscriber {Stats.Median(sqlite.Zip(baseline, (a, b) => a.EventsPerSecond / b.EventsPerSecond)):0.00})")),
            Row("publish→PUBACK p50 ms: PostgreSQL / SQLite (lower is better)", sqlite, pg, s => s.P50, string.Empty, "baseline = SQLite (WAL, synchronous=FULL)"),
            Row("publish→PUBACK p99 ms: PostgreSQL / SQLite (lower is better)", sqlite, pg, s => s.P99),
        ];
    }

    private static List<string> Slice(IReadOnlyList<string> codes, int run, int perRun) => codes.Skip(run * perRun).Take(perRun).ToList();

    private static ResultRow Row(string metric, List<IngestionSample> baseline, List<IngestionSample> ours, Func<IngestionSample, double> pick, string memory = "", string notes = "") =>
        ResultRow.Paired(Label, metric, baseline.Select(pick).ToList(), ours.Select(pick).ToList(), null, memory, notes);
}
