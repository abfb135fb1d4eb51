using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provenance.Engines.Tests.Support;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;
using static Provenance.Host.Tests.Support.SharedDatabase;
using static Provenance.Testing.PostgresQueries;

namespace Provenance.Engines.Tests;

/// <summary>
/// The database's outage, on PostgreSQL always (a private cluster, whatever the provider under test): the simulator
/// streams seals into a <c>provenance serve</c> process (embedded broker, a real influxd for the time-series sink) while
/// the server is shut down at once (like a crash), kept down for seconds and started again. What was in flight is not
/// acknowledged and the gateway sends it again; afterwards every acknowledged seal is stored, in the ledger and in
/// InfluxDB exactly once, none was dead-lettered, every sink leads and catches up again without the process being
/// restarted, and the ledger verifies.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const int Seals = 200;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    private const string EpcisLag = "SELECT COUNT(*) FROM journal WHERE position > COALESCE((SELECT position FROM sink_cursors WHERE sink = 'epcis'), 0)";

    [Fact]
    public async Task A_postgres_restart_mid_stream_loses_no_acknowledged_seal_and_the_sinks_resume()
    {
        // Its own cluster: restarting the shared one would break every test running beside this one.
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("restart");
        await using var node = new ProvenanceNode
        {
            Environment = new Dictionary<string, string>
            {
                ["Storage__Provider"] = "postgres",
                ["ConnectionStrings__Provenance"] = database,
            },
        };
        await using var influx = await InfluxdProcess.StartAsync();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(Seals);
        await node.StartAsync([.. influx.HostArguments]);
        string[] sinks = ["sink:ledger", "sink:timeseries", "sink:epcis"];
        await WaitUntilAsync(node, h => sinks.All(s => Work(h, s) == "leading"), "the node to lead its sinks");
        var works = (await node.HealthAsync()).GetProperty("storage").GetProperty("work").EnumerateObject().Select(w => w.Name).ToList();

        using var key = Simulation.LoadKey(gateway);
        var ackedFile = Path.Combine(node.WorkDirectory, "acked.txt");
        var simulator = new GatewaySimulator(Simulation.Options(node, gateway, urls, key) with
        {
            // Paced, so that the stream is still running while the database is down and after it is back.
            Rate = 80,
            Batch = 5,
            QueueDirectory = Path.Combine(node.WorkDirectory, "gateway-queue"),
            AckedFile = ackedFile,
            ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
            AckTimeout = TimeSpan.FromSeconds(5),
        }, TextWriter.Null);
        var quarter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        simulator.MessageAcknowledged += (_, _) =>
        {
            if (simulator.Counters.SealsAcked >= Seals / 4)
            {
                quarter.TrySetResult();
            }
        };
        simulator.ConnectionChanged += (_, e) => output.WriteLine($"gateway {(e.Connected ? "connected" : "disconnected")}: {e.Error}");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var run = simulator.RunAsync(cts.Token);

        await quarter.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await server.StopAsync();
        var ackedAtStop = simulator.Counters.SealsAcked;
        var down = DateTimeOffset.UtcNow;

        // While it is down: readiness names the database, and ingestion's commits fail (nothing is acknowledged).
        var readiness = await WaitForUnreadyAsync(node);
        output.WriteLine($"readiness while the database is down: {readiness}");
        Assert.Equal("unhealthy", readiness.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("database unavailable", readiness.GetProperty("checks").GetProperty("database").GetProperty("description").GetString(), StringComparison.Ordinal);
        // The sinks' checks say why they cannot progress, rather than throwing (which logged a stack trace per probe).
        Assert.Contains("the database is unavailable", readiness.GetProperty("checks").GetProperty("sink:ledger").GetProperty("description").GetString(), StringComparison.Ordinal);
        await node.Host!.WaitForLineAsync(l => l.Contains("IngestionPipeline[1002]", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var ackedWhileDown = simulator.Counters.SealsAcked;
        var standing = await WaitForElectingAsync(node, sinks);
        output.WriteLine($"/health while the database is down: {standing}");
        var left = Outage - (DateTimeOffset.UtcNow - down);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        Assert.Equal(ackedWhileDown, simulator.Counters.SealsAcked);
        output.WriteLine($"database down for {(DateTimeOffset.UtcNow - down).TotalSeconds:0.0} s, after {ackedAtStop} of {Seals} seals were acknowledged");
        await server.StartAgainAsync();

        var result = await run;
        Assert.True(result.Outcome == SimulatorOutcome.Completed, $"simulator ended {result.Outcome} with {result.Backlog} message(s) unacknowledged");
        output.WriteLine($"simulator: {simulator.Counters.MessagesSent} messages sent ({simulator.Counters.SealsSent} seals), {simulator.Counters.MessagesAcked} acknowledged, {simulator.Counters.Connects} connect(s), {simulator.Counters.ConnectFailures} failed");
        Assert.True(simulator.Counters.SealsAcked > ackedWhileDown, "seals were acknowledged after the restart");
        Assert.True(simulator.Counters.MessagesSent > simulator.Counters.MessagesAcked, "the gateway sent what was not acknowledged again");

        // Every piece of work leads again in the same process, and the ledger catches up with the journal.
        await WaitUntilAsync(node, h => works.All(w => Work(h, w) == "leading"), "every sink and dispatcher to lead again in the same process");
        await WaitUntilAsync(node, h => h.GetProperty("journal").GetProperty("lag").GetProperty("ledger").GetInt64() == 0, "the ledger to catch up");
        await WaitUntilAsync(node, h => h.GetProperty("journal").GetProperty("lag").GetProperty("timeseries").GetInt64() == 0, "the time-series sink to catch up");
        await WaitUntilAsync(node, _ => Scalar(database, EpcisLag) == 0, "the EPCIS projection to catch up");
        await WaitUntilAsync(node, h => h.GetProperty("status").GetString() == "healthy", "readiness to recover");
        var health = await node.HealthAsync();
        output.WriteLine($"after the restart: {health.GetProperty("storage")} dead letters {health.GetProperty("deadLetters")}");

        var acked = AckedIds(ackedFile);
        var seals = Strings(database, "SELECT event_id FROM seals");
        var ledger = Strings(database, "SELECT event_id FROM ledger");
        var influxSeals = await influx.StringFieldAsync("seal", "event_id");
        var unprocessable = Scalar(database, "SELECT COUNT(*) FROM dead_letters WHERE reason_code = 'unprocessable'");
        output.WriteLine($"acknowledged {acked.Count}, seals {seals.Count}, ledger {ledger.Count}, InfluxDB {influxSeals.Count}, unprocessable {unprocessable}");
        Assert.Equal(Seals, acked.Count);
        Assert.True(acked.SetEquals(seals) && seals.Count == acked.Count, "the seals table holds exactly the acknowledged seals");
        Assert.Equal(acked.Count, ledger.Count);
        Assert.True(acked.SetEquals(ledger), "the ledger holds exactly the acknowledged seals, each once");
        Assert.Equal(acked.Count, influxSeals.Count);
        Assert.True(acked.SetEquals(influxSeals), "InfluxDB holds exactly the acknowledged seals, each once");
        Assert.Equal(0, unprocessable);
        Assert.False(health.GetProperty("deadLetters").TryGetProperty("unprocessable", out _), $"dead letters: {health.GetProperty("deadLetters")}");

        foreach (var url in urls.Take(3).Concat(urls.Skip(Seals / 2).Take(3)).Concat(urls.TakeLast(3)))
        {
            Assert.Equal("authentic", (await node.ScanAsync(url)).GetProperty("verdict").GetString());
        }

        var verify = await node.CliAsync("ledger", "verify");
        Assert.Contains("ledger intact", verify, StringComparison.Ordinal);
    }

    /// <summary>
    /// Polls <c>/health</c> until it answers 503 (the database is unavailable) with every one of <paramref name="sinks"/>
    /// electing, not leading (the process has lost its sessions, so their leadership, and stopped them; no process can
    /// answer for their locks, so it does not claim standby); returns that answer.
    /// </summary>
    private static async Task<JsonElement> WaitForElectingAsync(ProvenanceNode node, IReadOnlyList<string> sinks)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var last = "(no answer)";
        while (true)
        {
            using (var response = await node.Management.GetAsync("/health", timeout.Token))
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                last = $"{(int)response.StatusCode} {body}";
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    var health = JsonDocument.Parse(body).RootElement.Clone();
                    if (sinks.All(s => Work(health, s) == "electing"))
                    {
                        return health;
                    }
                }
            }

            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"/health did not show the sinks electing while the database was down: {last}");
            }
        }
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 503, and returns that answer.</summary>
    private static async Task<JsonElement> WaitForUnreadyAsync(ProvenanceNode node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            using var response = await node.Http.GetAsync("/health/ready", timeout.Token);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
