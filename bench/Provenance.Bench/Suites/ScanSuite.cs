using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Provenance.Bench.Harness;

namespace Provenance.Bench.Suites;

/// <summary>
/// Scan API: wrk on <c>/health/live</c> of the same <c>provenance serve</c> process (baseline) against wrk walking a pool
/// of sealed tags' Digital Link paths with <c>Accept: application/json</c>; then an open-loop load at half our maximum
/// rate for p50/p99 and a check that the verdicts are "authentic". Finally <c>ledger verify</c> on the ledger the
/// sealing produced.
/// </summary>
public sealed class ScanSuite : IBenchSuite
{
    public string Name => "scan";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var pool = settings.Quick ? 20_000 : 100_000;
        var duration = TimeSpan.FromSeconds(settings.Quick ? 3 : 5);
        using var temp = new TempDirectory("bench-scan-");
        var cli = new ProvenanceCli(temp.Combine("data"));
        await cli.AddSiteAndProductAsync();
        var gateway = await cli.AddGatewayAsync("gw-scan");
        var urls = await cli.IssueUrlsAsync(pool);
        var paths = urls.Select(u => new Uri(u).PathAndQuery).ToList();
        var script = await Wrk.WritePathListScriptAsync(temp, paths, "scan", cancellationToken);

        await using var serve = await ServeProcess.StartAsync(cli.DataDirectory);
        Log.Info($"scan: sealing {pool:N0} tags through the simulator (batch 500)");
        var sealing = Stopwatch.StartNew();
        var sealedRun = await new SimulatorFleet("127.0.0.1", serve.MqttPort, [gateway], urls, 500).RunAsync(TimeSpan.FromMinutes(5), TimeSpan.Zero, cancellationToken);
        Log.Info($"scan: {sealedRun.EventsAcked:N0} seals committed in {sealing.Elapsed.TotalSeconds:N1} s");

        // Every sealed bottle is in the measured walk here: the warm-up scans 2,000 of them (2% of the pool).
        var warmUp = await Wrk.WritePathListScriptAsync(temp, paths.TakeLast(2000), "warm", cancellationToken);
        await ScanWarmUp.RunAsync(serve, warmUp, settings, "scan", cancellationToken);

        var baseline = new List<double>();
        var ours = new List<double>();
        long non2xx = 0;
        for (var r = 0; r < settings.Repeats; r++)
        {
            var live = await Wrk.RunAsync(serve.BaseUrl + "/health/live", duration, 64, cancellationToken: cancellationToken);
            var scans = await Wrk.RunAsync(serve.BaseUrl, duration, 64, script, cancellationToken);
            baseline.Add(live.RequestsPerSecond);
            ours.Add(scans.RequestsPerSecond);
            non2xx += scans.Non2xx;
            Log.Info($"scan run {r + 1}: /health/live {live.RequestsPerSecond:N0} req/s, scans {scans.RequestsPerSecond:N0} req/s ({scans.Non2xx} non-2xx)");
        }

        var max = Stats.Median(ours);
        const int pacedConnections = 32;
        var paced = await Wrk.RunAsync(serve.BaseUrl, TimeSpan.FromSeconds(settings.Quick ? 4 : 8), pacedConnections, script, cancellationToken, delayMs: pacedConnections * 1000.0 / (max / 2));
        Log.Info($"scan: paced at {max / 2:N0}/s (achieved {paced.RequestsPerSecond:N0}/s): p50 {paced.P50Ms:N2} ms, p99 {paced.P99Ms:N2} ms");
        var verdicts = await PacedLoad.RunAsync(serve.BaseUrl, paths.Take(2000).ToList(), 500, TimeSpan.FromSeconds(2), "\"authentic\"", cancellationToken);
        Log.Info($"scan: verdict check {verdicts.Matching:N0}/{verdicts.Requests:N0} authentic");
        var rss = serve.PeakRssMiB();

        // Stop serving (the ledger sink appends asynchronously, and a head written mid-verify reads as a break), then verify.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        await serve.DisposeAsync();
        var dbPath = Path.Combine(cli.DataDirectory, "provenance.db");
        var (rawRates, verifyRates, entries, verifyExit) = await LedgerVerifyRuns.RunAsync(cli.DataDirectory, settings.Repeats, "scan", cancellationToken);

        var disk = DiskPerSeal(cli.DataDirectory, dbPath);
        Log.Info($"scan: disk {disk.BytesPerSeal:N0} bytes per sealed bottle; {disk.Breakdown}");
        return
        [
            new ResultRow("disk", "bytes per sealed bottle (state + journal + ledger)", double.NaN, disk.BytesPerSeal, null, string.Empty,
                $"{disk.Seals:N0} seals; data directory {disk.TotalBytes / 1048576.0:N1} MiB after checkpoint; largest: {disk.Breakdown}"),
            ResultRow.Paired("scan", "req/s (max, wrk -c64)", baseline, ours, 0.3,
                string.Create(CultureInfo.InvariantCulture, $"serve VmHWM {rss:N0} MiB"),
                $"authentic JSON scans over {pool:N0} sealed tags vs /health/live; {non2xx} non-2xx; median of {settings.Repeats}× {duration.TotalSeconds:N0} s"),
            new ResultRow("scan", "p99 ms at 50% of max", double.NaN, paced.P99Ms, null, string.Empty,
                string.Create(CultureInfo.InvariantCulture, $"{paced.RequestsPerSecond:N0}/s achieved; p50 {paced.P50Ms:N2} ms; wrk -c{pacedConnections} paced with delay() per request; verdict check: {verdicts.Matching:N0}/{verdicts.Requests:N0} authentic")) { Limit = 5 },
            ResultRow.Paired("embedded ledger", "`ledger verify` entries/s (CLI, real data)", rawRates, verifyRates, 0.5, string.Empty,
                $"{entries:N0} entries from the sealing run; worst exit {verifyExit}; ours incl. process start; baseline = SELECT of the same rows; median of {settings.Repeats}"),
        ];
    }

    /// <summary>
    /// The data directory's bytes (database after a WAL checkpoint, plus everything else in it) per sealed bottle, and
    /// which tables and indexes hold them (SQLite's dbstat, when the bundled SQLite has it).
    /// </summary>
    private static (double BytesPerSeal, long TotalBytes, long Seals, string Breakdown) DiskPerSeal(string dataDirectory, string dbPath)
    {
        using (var c = new SqliteConnection($"Data Source={dbPath};Pooling=False"))
        {
            c.Open();
            using var checkpoint = c.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        var total = new DirectoryInfo(dataDirectory).EnumerateFiles("*", SearchOption.TopDirectoryOnly).Where(f => f.Name.StartsWith("provenance.db", StringComparison.Ordinal)).Sum(f => f.Length);
        using var r = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=False");
        r.Open();
        using var count = r.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM seals";
        var seals = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        string breakdown;
        try
        {
            using var stat = r.CreateCommand();
            stat.CommandText = "SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 5";
            using var rows = stat.ExecuteReader();
            var parts = new List<string>();
            while (rows.Read())
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{rows.GetString(0)} {rows.GetInt64(1) / (double)Math.Max(seals, 1):N0} B"));
            }

            breakdown = string.Join(", ", parts) + " per seal";
        }
        catch (SqliteException)
        {
            // The bundled SQLite has no dbstat: sum the stored values' lengths per table instead (payload, no page overhead).
            breakdown = PayloadBreakdown(r, seals) + " per seal (payload; dbstat not in this SQLite build)";
        }

        return (total / (double)Math.Max(seals, 1), total, seals, breakdown);
    }

    private static string PayloadBreakdown(SqliteConnection c, long seals)
    {
        var sizes = new List<(string Table, long Bytes)>();
        foreach (var table in new[] { "seals", "journal", "ledger", "ledger_blocks", "messages", "tags", "scans", "gateway_fixes", "dead_letters", "epcis_events", "epcis_epcs" })
        {
            var columns = new List<string>();
            using (var info = c.CreateCommand())
            {
                info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
                using var rows = info.ExecuteReader();
                while (rows.Read())
                {
                    columns.Add(rows.GetString(0));
                }
            }

            if (columns.Count == 0)
            {
                continue;
            }

            using var sum = c.CreateCommand();
            sum.CommandText = $"SELECT COALESCE(SUM({string.Join(" + ", columns.Select(col => $"COALESCE(length(\"{col}\"), 0)"))}), 0) FROM {table}";
            sizes.Add((table, Convert.ToInt64(sum.ExecuteScalar(), CultureInfo.InvariantCulture)));
        }

        return string.Join(", ", sizes.OrderByDescending(x => x.Bytes).Take(7).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Table} {x.Bytes / (double)Math.Max(seals, 1):N0} B")));
    }
}
