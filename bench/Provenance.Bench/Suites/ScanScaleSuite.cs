using System.Globalization;
using Microsoft.Data.Sqlite;
using Provenance.Bench.Harness;

namespace Provenance.Bench.Suites;

/// <summary>
/// Does a scan stay as cheap when ten times more bottles are sealed? Two data directories, 100,000 and 1,000,000 sealed
/// bottles (a few sealed through the simulator, the rest copied in bulk by <see cref="BottleSeeder"/>), served by two
/// <c>provenance serve</c> processes side by side. Each repeat runs, back to back: wrk on <c>/health/live</c> and wrk
/// walking 100,000 bottles' codes of the small directory, then the same on the large one (the same number of distinct
/// bottles, spread over ten times the population). Rows: scan req/s vs <c>/health/live</c> at each size, the
/// 1M/100k ratio of scan rates (pairs from the same repeat), repeat scans of 1,000 bottles at the large size (what an
/// in-memory read model answers), and p50/p99 at half the measured maximum.
/// </summary>
public sealed class ScanScaleSuite : IBenchSuite
{
    private const int Template = 200;
    private const int HotBottles = 1000;

    public string Name => "scan-scale";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var small = settings.Quick ? 20_000 : 100_000;
        var large = small * 10;
        var walk = small;
        var duration = TimeSpan.FromSeconds(settings.Quick ? 3 : 5);
        using var smallDir = new TempDirectory("bench-scale-s-");
        using var largeDir = new TempDirectory("bench-scale-l-");
        var (smallPaths, smallTemplates) = await PrepareAsync(smallDir, small, walk, cancellationToken);
        var (largePaths, largeTemplates) = await PrepareAsync(largeDir, large, walk, cancellationToken);
        var smallScript = await Wrk.WritePathListScriptAsync(smallDir, smallPaths, "scan", cancellationToken);
        var largeScript = await Wrk.WritePathListScriptAsync(largeDir, largePaths, "scan", cancellationToken);
        var hotScript = await Wrk.WritePathListScriptAsync(largeDir, largePaths.Take(HotBottles), "hot", cancellationToken);
        var smallWarmUp = await Wrk.WritePathListScriptAsync(smallDir, smallTemplates, "warm", cancellationToken);
        var largeWarmUp = await Wrk.WritePathListScriptAsync(largeDir, largeTemplates, "warm", cancellationToken);

        // The verdict check's client opens up to 256 connections from one address.
        await using var smallServe = await ServeProcess.StartAsync(smallDir.Combine("data"), "--HttpLimits:MaxConnectionsPerClient=1024");
        await using var largeServe = await ServeProcess.StartAsync(largeDir.Combine("data"), "--HttpLimits:MaxConnectionsPerClient=1024");
        var liveSmall = new List<double>();
        var scanSmall = new List<double>();
        var liveLarge = new List<double>();
        var scanLarge = new List<double>();
        var scanHot = new List<double>();
        long non2xx = 0;
        await ScanWarmUp.RunAsync(smallServe, smallWarmUp, settings, $"scan-scale {small:N0}", cancellationToken);
        await ScanWarmUp.RunAsync(largeServe, largeWarmUp, settings, $"scan-scale {large:N0}", cancellationToken);
        for (var r = 0; r < settings.Repeats; r++)
        {
            foreach (var (serve, script, live, scans) in new[] { (smallServe, smallScript, liveSmall, scanSmall), (largeServe, largeScript, liveLarge, scanLarge) })
            {
                var l = await Wrk.RunAsync(serve.BaseUrl + "/health/live", duration, 64, cancellationToken: cancellationToken);
                var s = await Wrk.RunAsync(serve.BaseUrl, duration, 64, script, cancellationToken);
                live.Add(l.RequestsPerSecond);
                scans.Add(s.RequestsPerSecond);
                non2xx += s.Non2xx;
            }

            scanHot.Add((await Wrk.RunAsync(largeServe.BaseUrl, duration, 64, hotScript, cancellationToken)).RequestsPerSecond);
            Log.Info($"scan-scale run {r + 1}: {HotBottles:N0} bottles scanned again and again at {large:N0}: {scanHot[^1]:N0} req/s");
            Log.Info($"scan-scale run {r + 1}: {small:N0} bottles: live {liveSmall[^1]:N0}, scans {scanSmall[^1]:N0} req/s; {large:N0} bottles: live {liveLarge[^1]:N0}, scans {scanLarge[^1]:N0} req/s");
        }

        var rows = new List<ResultRow>
        {
            ResultRow.Paired("scan (bulk-seeded)", $"req/s at {small:N0} sealed bottles", liveSmall, scanSmall, 0.3, string.Empty,
                $"wrk -c64 walking {walk:N0} bottles' codes vs /health/live; median of {settings.Repeats}× {duration.TotalSeconds:N0} s"),
            ResultRow.Paired("scan (bulk-seeded)", $"req/s at {large:N0} sealed bottles", liveLarge, scanLarge, 0.3, string.Empty,
                $"the same {walk:N0}-code walk spread over {large:N0} bottles; {non2xx} non-2xx in all scan runs"),
            ResultRow.Paired("scan (bulk-seeded)", $"scan req/s: {large / 1000:N0}k bottles / {small / 1000:N0}k bottles", scanSmall, scanLarge, 0.9, string.Empty,
                "baseline = scans at the small size, ours = scans at the large size, measured in the same repeat"),
            ResultRow.Paired("scan (bulk-seeded)", $"req/s, repeat scans of {HotBottles:N0} bottles at {large:N0}", liveLarge, scanHot, 0.3, string.Empty,
                "the same bottles scanned again and again (answered from the read model when it has one) vs that serve's /health/live"),
        };
        foreach (var (serve, paths, script, scans, size) in new[] { (smallServe, smallPaths, smallScript, scanSmall, small), (largeServe, largePaths, largeScript, scanLarge, large) })
        {
            var max = Stats.Median(scans);
            const int connections = 32;
            var paced = await Wrk.RunAsync(serve.BaseUrl, TimeSpan.FromSeconds(settings.Quick ? 4 : 8), connections, script, cancellationToken, delayMs: connections * 1000.0 / (max / 2));
            var verdicts = await PacedLoad.RunAsync(serve.BaseUrl, paths.Take(1000).ToList(), 500, TimeSpan.FromSeconds(2), "\"authentic\"", cancellationToken);
            Log.Info($"scan-scale {size:N0}: paced at {max / 2:N0}/s: p50 {paced.P50Ms:N2} ms, p99 {paced.P99Ms:N2} ms; {verdicts.Matching:N0}/{verdicts.Requests:N0} authentic");
            rows.Add(new ResultRow("scan (bulk-seeded)", $"p99 ms at 50% of max, {size:N0} bottles", double.NaN, paced.P99Ms, null, string.Create(CultureInfo.InvariantCulture, $"serve VmHWM {serve.PeakRssMiB():N0} MiB"),
                string.Create(CultureInfo.InvariantCulture, $"p50 {paced.P50Ms:N2} ms; {paced.RequestsPerSecond:N0}/s achieved; wrk -c{connections} paced; verdict check {verdicts.Matching:N0}/{verdicts.Requests:N0} authentic")) { Limit = 5 });
        }

        return rows;
    }

    /// <summary>
    /// A data directory with <paramref name="total"/> sealed bottles; returns <paramref name="walk"/> scan paths spread over
    /// the bulk-seeded ones, and the paths of the bottles sealed through <c>serve</c> first (not walked: the warm-up's).
    /// </summary>
    private static async Task<(IReadOnlyList<string> Walk, List<string> Templates)> PrepareAsync(TempDirectory temp, int total, int walk, CancellationToken cancellationToken)
    {
        var cli = new ProvenanceCli(temp.Combine("data"));
        await cli.AddSiteAndProductAsync();
        var gateway = await cli.AddGatewayAsync("gw-scale");
        var urls = await cli.IssueUrlsAsync(Template);
        await using (var serve = await ServeProcess.StartAsync(cli.DataDirectory))
        {
            await new SimulatorFleet("127.0.0.1", serve.MqttPort, [gateway], urls, 100).RunAsync(TimeSpan.FromMinutes(2), TimeSpan.Zero, cancellationToken);
            await WaitForLedgerAsync(cli.DataDirectory, Template, cancellationToken);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var paths = BottleSeeder.Seed(cli.DataDirectory, urls[0], total, walk);
        Log.Info($"scan-scale: seeded {total:N0} sealed bottles in {clock.Elapsed.TotalSeconds:N1} s");
        return (paths, urls.Select(u => new Uri(u).PathAndQuery).ToList());
    }

    /// <summary>The ledger sink appends after the seal is acknowledged: the copies need a ledger entry to copy.</summary>
    private static async Task WaitForLedgerAsync(string dataDirectory, int seals, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            using (var c = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "provenance.db")};Mode=ReadOnly;Pooling=False"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT (SELECT COUNT(*) FROM seals), (SELECT COUNT(*) FROM ledger l JOIN seals s ON s.event_id = l.event_id)";
                using var r = cmd.ExecuteReader();
                r.Read();
                if (r.GetInt64(0) >= seals && r.GetInt64(1) >= seals)
                {
                    return;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{r.GetInt64(0)} of {seals} seals stored, {r.GetInt64(1)} in the ledger after 2 min");
                }
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
