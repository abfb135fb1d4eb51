using System.Diagnostics;
using System.Globalization;
using Provenance.Engines.Tests.Support;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// The database's outage under the scaled-out deployment, on a private PostgreSQL cluster: two <c>ingestion,sinks</c>
/// processes on one mosquitto shared subscription group, a gateway simulator that releases a message only on
/// ingestion's end-to-end acknowledgement. The server is shut down at once mid-stream and kept down for several of the
/// gateway's acknowledgement timeouts, so the gateway sends its unacknowledged messages again while nothing can be
/// stored. Nothing is acknowledged while it is down; once it is back both processes recover in place, one of them leads
/// every sink, and every acknowledged seal is in the seals table, the ledger and InfluxDB exactly once.
/// </summary>
public sealed class PostgresOutageScaleOutTests(ITestOutputHelper output)
{
    private const int Seals = 300;
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Outage = 4 * AckTimeout;
    private static readonly string[] Sinks = ["sink:epcis", "sink:ledger", "sink:timeseries"];

    [Fact]
    public async Task Two_ingestion_processes_lose_nothing_acknowledged_through_an_outage_longer_than_the_gateways_acknowledgement_timeout()
    {
        var clock = Stopwatch.StartNew();
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("outage");
        var shared = new Dictionary<string, string> { ["Storage__Provider"] = "postgres", ["ConnectionStrings__Provenance"] = database };
        await using var influx = await InfluxdProcess.StartAsync();
        await using var node = new ProvenanceNode { Environment = shared };
        var gateway = await node.SetUpAsync("gw-1");
        var (_, codes) = await node.IssueAsync(Seals);
        await using var broker = await MosquittoRig.StartAsync(gateway);

        IngestionInstance Serve(string user) => new(
            user == "ingest-1" ? node.DataDirectory : Path.Combine(node.WorkDirectory, "data-" + user),
            node.WorkDirectory,
            [.. broker.HostArguments(user), .. influx.HostArguments, "--Provenance:Roles=ingestion,sinks"],
            environment: shared);
        await using var first = Serve("ingest-1");
        await using var second = Serve("ingest-2");
        await first.StartAsync();
        await WorkStates.WaitForAsync(first, Sinks, "leading", "the first ingestion process to lead the sinks");
        DirectoryCopy.Into(node.DataDirectory, Path.Combine(node.WorkDirectory, "data-ingest-2"));
        await second.StartAsync();
        output.WriteLine($"[time] set-up {clock.Elapsed.TotalSeconds:F1} s");

        using var key = Simulation.LoadKey(gateway);
        var ackedFile = Path.Combine(node.WorkDirectory, "acked.txt");
        using var simulatorLog = new StringWriter(CultureInfo.InvariantCulture);
        var simulator = new GatewaySimulator(Simulation.Options(node, gateway, codes, key) with
        {
            Port = broker.Port,
            Ack = AckMode.Ingestion,
            AckTimeout = AckTimeout,
            Rate = 60,
            Batch = 5,
            QueueDirectory = Path.Combine(node.WorkDirectory, "gateway-queue"),
            AckedFile = ackedFile,
            ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
        }, TextWriter.Synchronized(simulatorLog));
        var quarter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        simulator.MessageAcknowledged += (_, _) =>
        {
            if (simulator.Counters.SealsAcked >= Seals / 4)
            {
                quarter.TrySetResult();
            }
        };
        var downSince = long.MaxValue; // UTC ticks, set when the server stops
        var resentWhileDown = 0;
        simulator.ConnectionChanged += (_, e) =>
        {
            output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} gateway {(e.Connected ? "connected" : "disconnected")}: {e.Error}");
            if (e.Error?.Contains("no acknowledgement from ingestion", StringComparison.Ordinal) == true
                && DateTimeOffset.UtcNow.UtcTicks > Volatile.Read(ref downSince))
            {
                Interlocked.Increment(ref resentWhileDown);
            }
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var run = simulator.RunAsync(cts.Token);

        await quarter.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await server.StopAsync();
        var down = DateTimeOffset.UtcNow;
        Volatile.Write(ref downSince, down.UtcTicks);
        var ackedAtStop = simulator.Counters.SealsAcked;

        // Both processes say the database is why they are not ready; nothing is acknowledged however often the gateway asks.
        foreach (var instance in new[] { first, second })
        {
            var readiness = await instance.WaitForReadinessAsync(503, TimeSpan.FromSeconds(20));
            Assert.Contains("database unavailable", readiness.GetProperty("checks").GetProperty("database").GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        // Acknowledgements already on their way when the server stopped may still arrive; after a second none may.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var ackedWhileDown = simulator.Counters.SealsAcked;
        var left = Outage - (DateTimeOffset.UtcNow - down);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        Assert.Equal(ackedWhileDown, simulator.Counters.SealsAcked);
        Assert.True(Volatile.Read(ref resentWhileDown) > 0, $"the gateway never timed out waiting for an acknowledgement while the database was down\n{simulatorLog}");
        output.WriteLine($"[figures] database down {(DateTimeOffset.UtcNow - down).TotalSeconds:F1} s after {ackedAtStop} of {Seals} seals were acknowledged; the gateway sent again {resentWhileDown} time(s) meanwhile");
        await server.StartAgainAsync();

        var result = await run;
        Assert.True(result.Outcome == SimulatorOutcome.Completed, $"simulator ended {result.Outcome} with {result.Backlog} message(s) unacknowledged\n--- broker\n{broker.Log}\n--- simulator\n{simulatorLog}");
        output.WriteLine($"[figures] simulator: {simulator.Counters.MessagesSent} messages sent ({simulator.Counters.SealsSent} seals), {simulator.Counters.MessagesAcked} acknowledged");
        await first.WaitForDrainedAsync(TimeSpan.FromMinutes(1));
        await second.WaitForDrainedAsync(TimeSpan.FromMinutes(1));

        // One process leads each sink again; neither was restarted.
        var healths = new[] { await first.HealthAsync(), await second.HealthAsync() };
        Assert.All(Sinks, sink => Assert.Equal(1, healths.Count(h => WorkStates.Of(h, sink) == "leading")));
        Assert.All(healths, h => Assert.Equal("healthy", h.GetProperty("status").GetString()));

        var acknowledged = File.ReadAllLines(ackedFile).Where(l => l.Length > 0).ToList();
        var seals = StreamFigures.Of("seals table (outage)", Seals, acknowledged, PostgresQueries.Strings(database, "SELECT event_id FROM seals"));
        var ledger = StreamFigures.Of("ledger (outage)", Seals, acknowledged, PostgresQueries.Strings(database, "SELECT event_id FROM ledger"));
        var series = StreamFigures.Of("influx seal (outage)", Seals, acknowledged, await influx.StringFieldAsync("seal", "event_id"));
        seals.WriteTo(output);
        ledger.WriteTo(output);
        series.WriteTo(output);
        seals.AssertExactlyOnce();
        ledger.AssertExactlyOnce();
        series.AssertExactlyOnce();
        Assert.Equal(0, PostgresQueries.Scalar(database, "SELECT COUNT(*) FROM dead_letters"));
        Assert.Contains("ledger intact", await node.CliAsync("ledger", "verify"), StringComparison.Ordinal);
        output.WriteLine($"[time] whole test {clock.Elapsed.TotalSeconds:F1} s");
    }
}
