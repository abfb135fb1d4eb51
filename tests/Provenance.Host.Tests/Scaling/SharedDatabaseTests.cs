using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;
using static Provenance.Host.Tests.Support.SharedDatabase;

namespace Provenance.Host.Tests.Scaling;

/// <summary>
/// Two <c>provenance serve</c> processes on one PostgreSQL database (a real cluster the test starts), each ingesting
/// one gateway's stream from its own broker and serving scans. The first to start leads the sinks; it is killed with
/// SIGKILL mid-stream, the other takes the sinks over while it is down, and afterwards every acknowledged seal of both
/// gateways is in the shared ledger exactly once, scans on either process see seals the other committed, and the
/// ledger verifies.
/// </summary>
public sealed class SharedDatabaseTests(ITestOutputHelper output)
{
    private const int SealsPerGateway = 1500;

    [Fact]
    public async Task Two_processes_on_one_postgres_database_seal_once_serve_each_others_seals_and_take_over_the_sinks_from_a_killed_leader()
    {
        var server = await PostgresServer.Shared;
        var database = await server.CreateDatabaseAsync("shared");
        var shared = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["ConnectionStrings__Provenance"] = database,
        };
        await using var first = new ProvenanceNode { Environment = shared };
        await using var second = new ProvenanceNode { Environment = shared };
        var gateway1 = await first.SetUpAsync("gw-1");
        var gateway2 = await first.AddGatewayAsync("gw-2");
        var (_, urls) = await first.IssueAsync(2 * SealsPerGateway);

        await first.StartAsync();
        await WaitUntilAsync(first, h => Work(h, "sink:ledger") == "leading", "the first process to lead the ledger sink");
        // One node identity for both, as a deployment mounts one secret into every instance: the node key (made at the
        // first start) signs ledger blocks, the code keys make and check codes.
        CopyDirectory(first.DataDirectory, second.DataDirectory);
        await second.StartAsync();
        Assert.Equal("standby", Work(await second.HealthAsync(), "sink:ledger"));
        Assert.Equal("postgres", (await second.HealthAsync()).GetProperty("storage").GetProperty("provider").GetString());

        using var key1 = Simulation.LoadKey(gateway1);
        using var key2 = Simulation.LoadKey(gateway2);
        var acked1 = Path.Combine(first.WorkDirectory, "acked-1.txt");
        var acked2 = Path.Combine(second.WorkDirectory, "acked-2.txt");
        var simulator1 = new GatewaySimulator(Simulation.Options(first, gateway1, urls.Take(SealsPerGateway).ToList(), key1) with
        {
            Batch = 5, QueueDirectory = Path.Combine(first.WorkDirectory, "queue-1"), AckedFile = acked1, ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
        }, TextWriter.Null);
        var simulator2 = new GatewaySimulator(Simulation.Options(second, gateway2, urls.Skip(SealsPerGateway).ToList(), key2) with
        {
            Batch = 5, QueueDirectory = Path.Combine(second.WorkDirectory, "queue-2"), AckedFile = acked2, Seed = 8,
        }, TextWriter.Null);
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        simulator1.MessageAcknowledged += (_, _) =>
        {
            if (simulator1.Counters.SealsAcked >= SealsPerGateway / 3)
            {
                third.TrySetResult();
            }
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var run1 = simulator1.RunAsync(cts.Token);
        var run2 = simulator2.RunAsync(cts.Token);

        await third.Task.WaitAsync(TimeSpan.FromMinutes(2));
        first.Host!.Kill();
        output.WriteLine($"killed the leading process after {simulator1.Counters.SealsAcked} of gateway 1's seals were acknowledged");

        // While the leader is down, the other process takes the sinks over and records what it ingests.
        await WaitUntilAsync(second, h => Work(h, "sink:ledger") == "leading", "the second process to take the ledger sink over");
        Assert.Equal(SimulatorOutcome.Completed, (await run2).Outcome);
        var acknowledged2 = AckedIds(acked2);
        await WaitUntilAsync(second, _ => acknowledged2.IsSubsetOf(Strings(database, "SELECT event_id FROM ledger")), "gateway 2's seals in the ledger while the first process is down");

        await first.StartAsync();
        Assert.Equal(SimulatorOutcome.Completed, (await run1).Outcome);
        await WaitUntilAsync(second, h => h.GetProperty("journal").GetProperty("lag").GetProperty("ledger").GetInt64() == 0, "the ledger to catch up");

        var acknowledged = AckedIds(acked1);
        acknowledged.UnionWith(acknowledged2);
        var ledger = Strings(database, "SELECT event_id FROM ledger");
        output.WriteLine($"acknowledged {acknowledged.Count}, ledger entries {ledger.Count}");
        Assert.Equal(2 * SealsPerGateway, acknowledged.Count);
        Assert.Equal(acknowledged.Count, ledger.Count);
        Assert.True(acknowledged.SetEquals(ledger), "the ledger holds exactly the acknowledged seals");
        Assert.Equal(2 * SealsPerGateway, Scalar(database, "SELECT COUNT(*) FROM seals"));

        foreach (var url in urls.Take(5).Concat(urls.Skip(SealsPerGateway).Take(5)))
        {
            Assert.Equal("authentic", (await first.ScanAsync(url)).GetProperty("verdict").GetString());
            Assert.Equal("authentic", (await second.ScanAsync(url)).GetProperty("verdict").GetString());
        }

        var verify = await first.CliAsync("ledger", "verify");
        Assert.Contains("ledger intact", verify, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
