using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Engines.Tests.Support;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// The scaled-out deployment of the README (<i>Running on more than one machine</i>) with real parts: one PostgreSQL
/// database (always, whatever PROVENANCE_TEST_STORAGE says), one mosquitto, one influxd, two <c>ingestion,sinks</c>
/// processes on one shared subscription group and two <c>api</c> processes, each with its own copy of the node identity.
/// Two gateway simulators stream seals with store-and-forward. Mid-stream the ingestion process that leads the sinks is
/// SIGKILLed: the other takes the sinks over and keeps the ledger and InfluxDB up to date alone; the killed one comes
/// back under the same client id (mosquitto keeps routing a share of the group's messages to its offline session, so a
/// member that never returned would strand them: deploy/README.md, mosquitto finding 4) and stands by. Every
/// acknowledged seal is then in the seals table, the ledger and InfluxDB exactly once, and scans on either API process
/// see them.
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private const int SealsPerGateway = 1000;
    private static readonly string[] Sinks = ["sink:epcis", "sink:ledger", "sink:timeseries"];

    [Fact]
    public async Task Two_ingestion_and_two_api_processes_on_one_database_seal_once_and_survive_the_sink_leader_killed_mid_stream()
    {
        var clock = Stopwatch.StartNew();
        // influxd and mosquitto start while PostgreSQL and the CLI set the node up.
        var startInflux = InfluxdProcess.StartAsync();
        var server = await StartedOrDisposedAsync(PostgresServer.Shared, startInflux);
        var shared = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["ConnectionStrings__Provenance"] = await StartedOrDisposedAsync(server.CreateDatabaseAsync("scaleout"), startInflux),
        };
        await using var influx = await startInflux;
        await using var node = new ProvenanceNode { Environment = shared };
        GatewayCredentials[] gateways = [await node.SetUpAsync("gw-1"), await node.AddGatewayAsync("gw-2")];
        var startBroker = MosquittoRig.StartAsync(gateways);
        var (_, codes) = await StartedOrDisposedAsync(node.IssueAsync(2 * SealsPerGateway), startBroker);
        await using var broker = await startBroker;
        output.WriteLine($"[time] CLI set-up, broker and influxd done {clock.Elapsed.TotalSeconds:F1} s");

        IngestionInstance Serve(string name, string user, string roles) => new(
            name == "ingest-1" ? node.DataDirectory : Path.Combine(node.WorkDirectory, "data-" + name),
            node.WorkDirectory,
            [.. broker.HostArguments(user), .. influx.HostArguments, $"--Provenance:Roles={roles}"],
            environment: shared);
        await using var leader = Serve("ingest-1", "ingest-1", "ingestion,sinks");
        await using var follower = Serve("ingest-2", "ingest-2", "ingestion,sinks");
        await using var api1 = Serve("api-1", "ingest-api", "api");
        await using var api2 = Serve("api-2", "ingest-api", "api");

        // The first start makes the node key; every other process gets a copy of the data directory, as a deployment
        // mounts one node identity into every instance.
        await leader.StartAsync();
        await WorkStates.WaitForAsync(leader, Sinks, "leading", "the first ingestion process to lead the sinks");
        output.WriteLine($"[time] first process leads {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var name in new[] { "ingest-2", "api-1", "api-2" })
        {
            DirectoryCopy.Into(node.DataDirectory, Path.Combine(node.WorkDirectory, "data-" + name));
        }

        await Task.WhenAll(follower.StartAsync(), api1.StartAsync(), api2.StartAsync());
        // Ready before its first election is answered (electing is healthy): wait for that answer.
        var followerAtStart = await WorkStates.WaitForAsync(follower, Sinks, "standby", "the second ingestion process to stand by for the sinks");
        Assert.Equal("postgres", followerAtStart.GetProperty("storage").GetProperty("provider").GetString());
        Assert.All(Sinks, sink => Assert.Equal("standby", WorkStates.Of(followerAtStart, sink)));
        output.WriteLine($"[figures] set-up (database, CLI, broker, influxd, four processes) {clock.Elapsed.TotalSeconds:F1} s");

        // Two gateways streaming at once; the fault fires when a third of all seals are acknowledged.
        using var simulatorLog = new StringWriter(CultureInfo.InvariantCulture);
        var log = TextWriter.Synchronized(simulatorLog);
        using var key1 = Simulation.LoadKey(gateways[0]);
        using var key2 = Simulation.LoadKey(gateways[1]);
        var simulators = gateways.Select((gateway, i) => new GatewaySimulator(Simulation.Options(node, gateway, codes.Skip(i * SealsPerGateway).Take(SealsPerGateway).ToList(), i == 0 ? key1 : key2) with
        {
            Port = broker.Port,
            // About 10 s of stream: two thirds of it is still to come when the leader is killed, even when a loaded machine
            // takes seconds to act on the third acknowledgement (at 300 seals/s CI once found everything stored by then).
            Rate = 100,
            Batch = 10,
            QueueDirectory = Path.Combine(node.WorkDirectory, $"queue-{gateway.GatewayId}"),
            AckedFile = AckedFile(node, gateway),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
            Seed = 7 + i,
        }, log)).ToList();
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstAck = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstPublished = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var simulator in simulators)
        {
            simulator.MessagePublished += (_, _) => firstPublished.TrySetResult(clock.Elapsed);
            simulator.MessageAcknowledged += (_, _) =>
            {
                firstAck.TrySetResult(clock.Elapsed);
                if (simulators.Sum(s => s.Counters.SealsAcked) >= 2 * SealsPerGateway / 3)
                {
                    third.TrySetResult();
                }
            };
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var runs = simulators.Select(s => s.RunAsync(cts.Token)).ToList();
        await third.Task.WaitAsync(TimeSpan.FromMinutes(1));
        output.WriteLine($"[time] first published {(await firstPublished.Task).TotalSeconds:F1} s, first acknowledged {(await firstAck.Task).TotalSeconds:F1} s");
        output.WriteLine($"[time] a third acknowledged {clock.Elapsed.TotalSeconds:F1} s");

        // Both members got a share of the group's messages before the kill.
        var split = (Leader: Messages(await leader.HealthAsync()), Follower: Messages(await follower.HealthAsync()));
        var sealsAtKill = Strings(shared, "SELECT event_id FROM seals").Count;
        var ledgerAtKill = Strings(shared, "SELECT event_id FROM ledger").Count;
        leader.Kill();
        var killedAt = clock.Elapsed;
        output.WriteLine($"[figures] killed the sink leader ingest-1 after {simulators.Sum(s => s.Counters.SealsAcked)} seals acknowledged, {sealsAtKill} stored, {ledgerAtKill} in the ledger; messages so far: ingest-1 {split.Leader}, ingest-2 {split.Follower}");

        var takeover = Stopwatch.StartNew();
        var tookOver = await WorkStates.WaitForAsync(follower, Sinks, "leading", "the surviving ingestion process to take the sinks over");
        takeover.Stop();
        output.WriteLine($"[figures] ingest-2 led {string.Join(", ", Sinks)} {takeover.ElapsedMilliseconds} ms after the kill");

        // The survivor alone carries the sinks: the ledger records seals stored after the kill.
        var ledgerAlone = await WaitForCountAsync(shared, "SELECT count(*) FROM ledger", sealsAtKill + 1, TimeSpan.FromSeconds(30));
        output.WriteLine($"[figures] with ingest-1 down: ledger {ledgerAlone} entries (was {ledgerAtKill} at the kill, when {sealsAtKill} seals were stored)");

        // The killed member returns under its client id: mosquitto keeps routing a share of the group's messages (resends
        // included) to its offline session, so until it returns half of them wait there.
        await leader.StartAsync();
        var returned = await WorkStates.WaitForAsync(leader, Sinks, "standby", "the returned ingestion process to stand by for the sinks");
        foreach (var run in runs)
        {
            var result = await run;
            Assert.True(result.Outcome == SimulatorOutcome.Completed, $"simulator ended {result.Outcome} with {result.Backlog} message(s) unacknowledged\n--- broker\n{broker.Log}\n--- simulators\n{simulatorLog}");
        }

        output.WriteLine($"[time] simulators done {clock.Elapsed.TotalSeconds:F1} s");
        var stored = await WaitForCountAsync(shared, "SELECT count(*) FROM seals", 2 * SealsPerGateway, TimeSpan.FromMinutes(1));
        await follower.WaitForDrainedAsync(TimeSpan.FromMinutes(1));
        var survivor = await follower.HealthAsync();
        var back = await leader.HealthAsync();

        output.WriteLine($"[time] drained {clock.Elapsed.TotalSeconds:F1} s");
        var acknowledged = gateways.SelectMany(g => File.ReadAllLines(AckedFile(node, g)).Where(l => l.Length > 0)).ToList();
        var seals = StreamFigures.Of("seals table (scale-out)", 2 * SealsPerGateway, acknowledged, Strings(shared, "SELECT event_id FROM seals"));
        var ledger = StreamFigures.Of("ledger (scale-out)", 2 * SealsPerGateway, acknowledged, Strings(shared, "SELECT event_id FROM ledger"));
        var series = StreamFigures.Of("influx seal (scale-out)", 2 * SealsPerGateway, acknowledged, await influx.StringFieldAsync("seal", "event_id"));
        var ledgerSpan = Scalar(shared, "SELECT max(idx) - min(idx) + 1 FROM ledger");
        var fixes = Scalar(shared, "SELECT count(*) FROM journal WHERE kind = 'fix'");
        var influxFixes = await influx.ScalarAsync("SELECT count(lat) FROM gnss_fix");
        var duplicates = Duplicates(back) + Duplicates(survivor);
        seals.WriteTo(output);
        ledger.WriteTo(output);
        series.WriteTo(output);
        output.WriteLine($"[figures] fixes: {fixes} journalled, {influxFixes} in InfluxDB; redeliveries absorbed: {duplicates}; messages in total: ingest-1 {Messages(back)} (since its restart), ingest-2 {Messages(survivor)}");

        Assert.True(split.Leader > 0 && split.Follower > 0, $"the group's messages were not split before the kill: {split}");
        Assert.True(sealsAtKill < 2 * SealsPerGateway, "the kill came after everything was stored: it was not mid-stream");
        Assert.True(ledgerAlone > sealsAtKill, $"the survivor's ledger sink recorded no seal stored after the kill ({ledgerAtKill} at the kill, {ledgerAlone} later, {sealsAtKill} seals stored at the kill)");
        Assert.All(Sinks, sink => Assert.Equal("leading", WorkStates.Of(tookOver, sink)));
        Assert.All(Sinks, sink => Assert.Equal("leading", WorkStates.Of(survivor, sink)));
        Assert.All(Sinks, sink => Assert.Equal("standby", WorkStates.Of(returned, sink)));
        Assert.Equal(2 * SealsPerGateway, stored);
        seals.AssertExactlyOnce();
        ledger.AssertExactlyOnce();
        series.AssertExactlyOnce();
        Assert.Equal(ledger.Stored, ledgerSpan);
        Assert.True(fixes > 0, "no fixes were stored");
        Assert.Equal(fixes, influxFixes);

        // Scans on either API process: seals from both gateways, from before the kill, and from its last stretch.
        foreach (var code in new[] { 0, SealsPerGateway / 2, SealsPerGateway - 1, SealsPerGateway, 2 * SealsPerGateway - 1 }.Select(i => codes[i]))
        {
            Assert.Equal("authentic", await VerdictAsync(api1, code));
            Assert.Equal("authentic", await VerdictAsync(api2, code));
        }

        output.WriteLine($"[time] scans done {clock.Elapsed.TotalSeconds:F1} s");

        // The API processes' own single-runner work (payouts, webhooks, origin alerts) runs in exactly one of them.
        var apiWork = (One: WorkStates.All(await api1.HealthAsync()), Two: WorkStates.All(await api2.HealthAsync()));
        output.WriteLine($"[figures] api-1 {string.Join(", ", apiWork.One)}; api-2 {string.Join(", ", apiWork.Two)}");
        Assert.Contains("dispatch:payouts", apiWork.One.Keys);
        Assert.Equal(apiWork.One.Keys.Order(StringComparer.Ordinal), apiWork.Two.Keys.Order(StringComparer.Ordinal));
        Assert.All(apiWork.One.Keys, work => Assert.True(
            (apiWork.One[work] == "leading") != (apiWork.Two[work] == "leading"),
            $"{work}: api-1 {apiWork.One[work]}, api-2 {apiWork.Two[work]}"));
        var verify = await node.CliAsync("ledger", "verify");
        Assert.Contains("ledger intact", verify, StringComparison.Ordinal);
        output.WriteLine($"[figures] kill at {killedAt.TotalSeconds:F1} s, whole test {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Awaits <paramref name="step"/>; when it fails, disposes what <paramref name="started"/> started meanwhile.</summary>
    private static async Task<T> StartedOrDisposedAsync<T, TStarted>(Task<T> step, Task<TStarted> started)
        where TStarted : IAsyncDisposable
    {
        try
        {
            return await step;
        }
        catch
        {
            await (await started).DisposeAsync();
            throw;
        }
    }

    private static string AckedFile(ProvenanceNode node, GatewayCredentials gateway) => Path.Combine(node.WorkDirectory, $"acked-{gateway.GatewayId}.txt");

    private static long Messages(JsonElement health) => health.GetProperty("ingestion").GetProperty("messages").GetInt64();

    private static long Duplicates(JsonElement health) => health.GetProperty("ingestion").GetProperty("duplicates").GetInt64();

    private static async Task<string?> VerdictAsync(IngestionInstance api, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(code).PathAndQuery);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await api.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString();
    }

    private static async Task<long> WaitForCountAsync(IReadOnlyDictionary<string, string> shared, string sql, long expected, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        long count;
        while ((count = Scalar(shared, sql)) < expected && deadline.Elapsed < timeout)
        {
            await Task.Delay(100);
        }

        return count;
    }

    private static List<string> Strings(IReadOnlyDictionary<string, string> shared, string sql) => PostgresQueries.Strings(shared["ConnectionStrings__Provenance"], sql);

    private static long Scalar(IReadOnlyDictionary<string, string> shared, string sql) => PostgresQueries.Scalar(shared["ConnectionStrings__Provenance"], sql);
}
