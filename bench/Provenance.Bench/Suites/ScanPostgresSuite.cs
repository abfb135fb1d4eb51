using System.Diagnostics;
using System.Globalization;
using Provenance.Bench.Harness;

namespace Provenance.Bench.Suites;

/// <summary>
/// Scans on PostgreSQL. One database of a cluster started here, its tags sealed through <c>serve</c> on it as in the
/// <see cref="ScanSuite"/> (100,000, batch 500); then, each repeat back to back: wrk on <c>/health/live</c> and the
/// authentic-scan walk on that <c>serve</c> (the same method as the SQLite scan row), the same on a <c>serve</c> on
/// SQLite sealed the same way (<c>scan-postgres</c>), and (<c>scan-two-processes</c>) the walk split over two wrk
/// instances of one thread and 32 connections each: both at the first process, then one at each of two <c>serve</c>
/// processes on the same database, summed. The second process has a copy of the first's data directory (one node
/// identity, as a deployment mounts one secret into every instance) and reads the seals the first committed.
/// </summary>
public sealed class ScanPostgresSuite : IBenchSuite
{
    public const string TwoProcesses = "scan-two-processes";
    private const string Label = "scan (PostgreSQL)";
    private const int SplitConnections = 32;

    public string Name => "scan-postgres";

    public IReadOnlyList<string> Names => [Name, TwoProcesses];

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var withSqlite = settings.Includes(Name);
        var withTwo = settings.Includes(TwoProcesses);
        var pool = settings.Quick ? 20_000 : 100_000;
        var duration = TimeSpan.FromSeconds(settings.Quick ? 3 : 5);
        await using var postgres = await BenchPostgres.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("scan");
        using var temp = new TempDirectory("bench-scan-pg-");

        var (first, paths) = await SealedServeAsync(temp.Combine("postgres"), NodeStorage.Postgres(connectionString), pool, cancellationToken);
        await using var firstServe = first;
        await BenchPostgres.SettleAsync(connectionString, cancellationToken);
        var (sqlite, sqlitePaths) = withSqlite ? await SealedServeAsync(temp.Combine("sqlite"), NodeStorage.Sqlite, pool, cancellationToken) : (null, []);
        await using var sqliteServe = sqlite;
        ServeProcess? second = null;
        if (withTwo)
        {
            CopyDirectory(temp.Combine("postgres"), temp.Combine("postgres-2"));
            second = await ServeProcess.StartAsync(temp.Combine("postgres-2"), NodeStorage.Postgres(connectionString), ServeArguments);
        }

        await using var secondServe = second;
        var script = await Wrk.WritePathListScriptAsync(temp, paths, "scan", cancellationToken);
        var warmUp = await Wrk.WritePathListScriptAsync(temp, paths.TakeLast(2000), "warm", cancellationToken);
        var sqliteScript = withSqlite ? await Wrk.WritePathListScriptAsync(temp, sqlitePaths, "scan-sqlite", cancellationToken) : null;
        await ScanWarmUp.RunAsync(firstServe, warmUp, settings, "scan-postgres", cancellationToken);
        if (secondServe is not null)
        {
            await ScanWarmUp.RunAsync(secondServe, warmUp, settings, "scan-postgres second process", cancellationToken);
        }

        if (sqliteServe is not null)
        {
            await ScanWarmUp.RunAsync(sqliteServe, await Wrk.WritePathListScriptAsync(temp, sqlitePaths.TakeLast(2000), "warm-sqlite", cancellationToken), settings, "scan-postgres (SQLite side)", cancellationToken);
        }

        List<double> live = [], scans = [], sqliteLive = [], sqliteScans = [], one = [], two = [], shareOfSecond = [];
        long non2xx = 0;
        for (var r = 0; r < settings.Repeats; r++)
        {
            if (sqliteServe is not null)
            {
                sqliteLive.Add((await Wrk.RunAsync(sqliteServe.BaseUrl + "/health/live", duration, 64, cancellationToken: cancellationToken)).RequestsPerSecond);
                var s = await Wrk.RunAsync(sqliteServe.BaseUrl, duration, 64, sqliteScript, cancellationToken);
                sqliteScans.Add(s.RequestsPerSecond);
                non2xx += s.Non2xx;
            }

            live.Add((await Wrk.RunAsync(firstServe.BaseUrl + "/health/live", duration, 64, cancellationToken: cancellationToken)).RequestsPerSecond);
            var p = await Wrk.RunAsync(firstServe.BaseUrl, duration, 64, script, cancellationToken);
            scans.Add(p.RequestsPerSecond);
            non2xx += p.Non2xx;
            if (secondServe is not null)
            {
                var (oneSum, _, oneNon2xx) = await SplitAsync(firstServe, firstServe, script, duration, cancellationToken);
                var (twoSum, atSecond, twoNon2xx) = await SplitAsync(firstServe, secondServe, script, duration, cancellationToken);
                one.Add(oneSum);
                two.Add(twoSum);
                shareOfSecond.Add(atSecond / twoSum);
                non2xx += oneNon2xx + twoNon2xx;
            }

            Log.Info($"scan-postgres run {r + 1}: PostgreSQL live {live[^1]:N0}, scans {scans[^1]:N0} req/s" +
                (sqliteServe is null ? string.Empty : $"; SQLite live {sqliteLive[^1]:N0}, scans {sqliteScans[^1]:N0} req/s") +
                (secondServe is null ? string.Empty : $"; split over one process {one[^1]:N0}, over two processes {two[^1]:N0} req/s"));
        }

        var verdicts = await VerdictsAsync(firstServe, paths, cancellationToken);
        var rows = new List<ResultRow>
        {
            ResultRow.Paired(Label, "req/s (max, wrk -c64)", live, scans, null, string.Create(CultureInfo.InvariantCulture, $"serve VmHWM {firstServe.PeakRssMiB():N0} MiB"),
                $"authentic JSON scans over {pool:N0} tags sealed through serve on PostgreSQL vs /health/live; {non2xx} non-2xx in all scan runs; verdict check {verdicts}; median of {settings.Repeats}× {duration.TotalSeconds:N0} s"),
        };
        if (sqliteServe is not null)
        {
            var sqliteVerdicts = await VerdictsAsync(sqliteServe, sqlitePaths, cancellationToken);
            rows.Add(ResultRow.Paired(Label, "scan req/s: PostgreSQL / SQLite", sqliteScans, scans, null, string.Create(CultureInfo.InvariantCulture, $"SQLite serve VmHWM {sqliteServe.PeakRssMiB():N0} MiB"),
                string.Create(CultureInfo.InvariantCulture, $"baseline = the same walk on a serve on SQLite sealed the same way, in the same repeat (its ratio to its /health/live {Stats.Median(sqliteScans.Zip(sqliteLive, (s, l) => s / l)):0.00}); verdict check {sqliteVerdicts}")));
        }

        if (secondServe is not null)
        {
            var secondVerdicts = await VerdictsAsync(secondServe, paths, cancellationToken);
            rows.Add(ResultRow.Paired(Label, "scan req/s: two serve processes / one (one database)", one, two, null, string.Create(CultureInfo.InvariantCulture, $"second serve VmHWM {secondServe.PeakRssMiB():N0} MiB"),
                string.Create(CultureInfo.InvariantCulture, $"two wrk -t1 -c{SplitConnections} at once, summed: baseline both at one process, ours one at each; second process's share {Stats.Median(shareOfSecond):P0}; 2 cores shared by both serves, PostgreSQL and wrk; verdict check on the second process {secondVerdicts}")));
        }

        return rows;
    }

    /// <summary>Every serve here: the verdict check's client opens up to 256 connections from one address.</summary>
    private static readonly string[] ServeArguments = ["--HttpLimits:MaxConnectionsPerClient=1024"];

    /// <summary>A data directory set up with the CLI, its <paramref name="pool"/> tags sealed through its serve (batch 500), the ledger caught up.</summary>
    private static async Task<(ServeProcess Serve, List<string> Paths)> SealedServeAsync(string dataDirectory, NodeStorage storage, int pool, CancellationToken cancellationToken)
    {
        var cli = new ProvenanceCli(dataDirectory, storage);
        await cli.AddSiteAndProductAsync();
        var gateway = await cli.AddGatewayAsync("gw-scan");
        var urls = await cli.IssueUrlsAsync(pool);
        var serve = await ServeProcess.StartAsync(cli.DataDirectory, storage, ServeArguments);
        try
        {
            Log.Info($"scan-postgres: sealing {pool:N0} tags on {storage.Name} through the simulator (batch 500)");
            var sealing = Stopwatch.StartNew();
            var run = await new SimulatorFleet("127.0.0.1", serve.MqttPort, [gateway], urls, 500).RunAsync(TimeSpan.FromMinutes(10), TimeSpan.Zero, cancellationToken);
            await serve.WaitForSinkAsync("ledger", TimeSpan.FromMinutes(10), cancellationToken);
            Log.Info($"scan-postgres: {run.EventsAcked:N0} seals committed on {storage.Name} in {sealing.Elapsed.TotalSeconds:N1} s (ledger caught up)");
            return (serve, urls.Select(u => new Uri(u).PathAndQuery).ToList());
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>Two wrk instances (one thread, <see cref="SplitConnections"/> connections each) at once: the sum, the second's part and non-2xx.</summary>
    private static async Task<(double Sum, double AtSecond, long Non2xx)> SplitAsync(ServeProcess a, ServeProcess b, string script, TimeSpan duration, CancellationToken cancellationToken)
    {
        var first = Wrk.RunAsync(a.BaseUrl, duration, SplitConnections, script, cancellationToken, threads: 1);
        var second = Wrk.RunAsync(b.BaseUrl, duration, SplitConnections, script, cancellationToken, threads: 1);
        var results = await Task.WhenAll(first, second);
        return (results[0].RequestsPerSecond + results[1].RequestsPerSecond, results[1].RequestsPerSecond, results[0].Non2xx + results[1].Non2xx);
    }

    /// <summary>1,000 scans at 500/s checked for the verdict "authentic"; a failed check is reported in the row, not thrown.</summary>
    private static async Task<string> VerdictsAsync(ServeProcess serve, List<string> paths, CancellationToken cancellationToken)
    {
        try
        {
            var check = await PacedLoad.RunAsync(serve.BaseUrl, paths.Take(2000).ToList(), 500, TimeSpan.FromSeconds(2), "\"authentic\"", cancellationToken);
            return string.Create(CultureInfo.InvariantCulture, $"{check.Matching:N0}/{check.Requests:N0} authentic");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Log.Info($"scan-postgres: verdict check on {serve.BaseUrl} failed: {e.Message}");
            return "FAILED (" + e.Message.Split('\n')[0] + ")";
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
