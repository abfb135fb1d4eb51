using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// The durability promise: the simulator streams 5,000 seals while the node is killed with SIGKILL and restarted;
/// every event id the simulator saw acknowledged is then in the ledger exactly once, and the ledger verifies.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_acknowledged_seal_survives_a_kill_and_lands_in_the_ledger_exactly_once()
    {
        const int Seals = 5000;
        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(Seals);
        await node.StartAsync();
        using var key = Simulation.LoadKey(gateway);
        var ackedFile = Path.Combine(node.WorkDirectory, "acked.txt");
        var options = Simulation.Options(node, gateway, urls, key) with
        {
            Batch = 5,
            QueueDirectory = Path.Combine(node.WorkDirectory, "gateway-queue"),
            AckedFile = ackedFile,
            ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
        };
        var simulator = new GatewaySimulator(options, TextWriter.Null);
        var killedAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        simulator.MessageAcknowledged += (_, _) =>
        {
            if (simulator.Counters.SealsAcked >= Seals / 3)
            {
                killedAt.TrySetResult(simulator.Counters.SealsAcked);
            }
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var run = simulator.RunAsync(cts.Token);

        var ackedBeforeKill = await killedAt.Task.WaitAsync(TimeSpan.FromMinutes(2));
        node.Host!.Kill();
        output.WriteLine($"killed the node after {ackedBeforeKill} acknowledged seals");
        await node.StartAsync();
        var result = await run;
        Assert.Equal(SimulatorOutcome.Completed, result.Outcome);
        await SealToVerdictTests.WaitForLedgerAsync(node);

        var acked = File.ReadAllLines(ackedFile).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        var ledger = LedgerEventIds(node);
        var duplicates = ledger.GroupBy(e => e, StringComparer.Ordinal).Count(g => g.Count() > 1);
        var missing = acked.Count(e => !ledger.Contains(e));
        output.WriteLine($"sent {Seals}, acknowledged {acked.Count}, in ledger {ledger.Count}, duplicated {duplicates}, lost {missing}");
        Assert.Equal(Seals, acked.Count);
        Assert.Equal(0, missing);
        Assert.Equal(0, duplicates);
        Assert.Equal(Seals, ledger.Count);

        var verify = await node.CliAsync("ledger", "verify");
        Assert.Contains("ledger intact", verify, StringComparison.Ordinal);
    }

    private static List<string> LedgerEventIds(ProvenanceNode node)
    {
        using var connection = TestStorage.Open(node.DataDirectory).Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id FROM ledger";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
