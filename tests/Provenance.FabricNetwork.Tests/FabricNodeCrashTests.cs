using Provenance.FabricNetwork.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.FabricNetwork.Tests;

/// <summary>
/// Fabric nodes crash (SIGKILL) and come back while the gateway simulator streams seals through serve: every seal
/// reaches the chain, none twice, counted on the chain itself.
/// </summary>
[Collection(FabricNetworkCollection.Name)]
public sealed class FabricNodeCrashTests(LocalFabricNetwork network, ITestOutputHelper output)
{
    [FabricFact]
    public async Task The_producer_peer_the_orderer_and_the_chaincode_server_killed_and_restarted_mid_stream_lose_and_duplicate_no_seal()
    {
        await using var node = new FabricNode(network);
        // About a minute of sealing at a line's pace: long enough to span three crashes and restarts.
        await node.SetUpAsync("gw-crash", 1_500);
        await node.StartAsync();
        var sealing = node.SealAsync(rate: 25);

        foreach (var victim in new[] { "producer", "orderer", "chaincode" })
        {
            // Mid-stream: seals are being recorded when the node dies.
            await WaitForRecordedAsync(node, more: 40, $"before killing {victim}");
            // Mid-stream for the ledger: the gateway is still sending, or the engine still has entries to append (after
            // the orderer's outage the backlog outlives the gateway's minute of sealing).
            Assert.True(!sealing.IsCompleted || await LedgerLagAsync(node) > 0, $"the ledger had nothing left to append before {victim} was killed: the crash would not be mid-stream");
            // Read before the kill: a refused connection fails the next attempt at once, and the engine's backoff
            // may then hold the following attempt past the wait below.
            var retriesBefore = await RetriesAsync(node);
            if (victim == "orderer")
            {
                // Right after the orderer accepted a transaction (the producer peer's Submit completed), within its 500 ms
                // batch timeout: what it had accepted and not yet put in a block is lost, and the engine must send it again.
                await network.WaitForNewLogLineAsync("producer", ["grpc.method=Submit", "grpc.code=OK"], TimeSpan.FromSeconds(30));
            }

            network.Kill(victim);
            try
            {
                await WaitForRetriesAsync(node, victim, retriesBefore);
            }
            finally
            {
                // Back up even when the test fails: the collection's other tests share this network.
                await network.StartNodeAsync(victim);
            }
        }

        await sealing;
        await node.WaitForLedgerAsync(TimeSpan.FromMinutes(3));

        using var client = network.Connect();
        var transactions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in node.Urls)
        {
            var (gtin, serial) = FabricNode.TagOf(url);
            var onChain = await client.TagRecordAsync(gtin, serial);
            Assert.True(onChain is not null, $"{serial} is not on the chain");
            Assert.Equal(1, await client.TagVersionsAsync(gtin, serial));
            var ledger = await node.LedgerOfAsync(url);
            Assert.Equal(onChain.Value.GetProperty("txId").GetString(), ledger.GetProperty("txId").GetString());
            transactions.Add(ledger.GetProperty("txId").GetString()!);
        }

        // Usually the orderer died with a transaction in its batch; how the engine got it on the chain, for the record.
        // Counted by event id (the console log's category line): 3116 resent after no commit; 3112, 3113, 6010 resolved.
        int Logged(params string[] ids) => node.Node.Host!.Lines.Count(l => ids.Any(id => l.Contains($"FabricLedgerEngine[{id}]", StringComparison.Ordinal)));
        var resent = Logged("3116");
        var resolved = Logged("3112", "3113", "6010");
        output.WriteLine($"transactions sent to the orderer again after no commit came: {resent}; resolved as pending after a failure: {resolved}");

        var health = await node.HealthAsync();
        Assert.Empty(new DeadLetterCounts(health).ReasonsOtherThan());
        Assert.True(health.GetProperty("ledger").GetProperty("retries").GetInt64() >= 3, "each crash was felt by the engine");
        Assert.True(transactions.Count >= 3, $"the stream spanned the crashes: {transactions.Count} transactions");
        // While a node is down, readiness is rightly unhealthy, which the health check service logs as an error.
        node.AssertNoUnexpectedErrors(FabricNode.UnhealthyCheckLog);
    }

    /// <summary>Waits until the engine has recorded <paramref name="more"/> journal entries beyond what it had.</summary>
    /// <remarks>
    /// After a restart the peer's gateway reaches the orderer again only when gRPC's reconnect backoff expires, which
    /// grows to 120 s (±20 % jitter) while the orderer is down; the deadline must outlast that, whatever our engine does.
    /// </remarks>
    private async Task WaitForRecordedAsync(FabricNode node, int more, string when)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        var start = await RecordedAsync(node);
        while (await RecordedAsync(node) < start + more)
        {
            Assert.True(
                DateTime.UtcNow < deadline,
                $"no progress {when}: {await node.HealthAsync()}\n--- serve ---\n{string.Join('\n', node.Node.Host!.Lines.TakeLast(60))}\n--- producer ---\n{network.LogTail("producer")}\n--- orderer ---\n{network.LogTail("orderer")}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the engine has felt the crash (a failed attempt).</summary>
    private static async Task WaitForRetriesAsync(FabricNode node, string victim, long retriesBefore)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (await RetriesAsync(node) == retriesBefore)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the engine never failed an attempt after {victim} was killed: {await node.HealthAsync()}");
            await Task.Delay(50);
        }
    }

    private static async Task<long> LedgerLagAsync(FabricNode node) =>
        (await node.HealthAsync()).GetProperty("journal").GetProperty("lag").GetProperty(FabricNode.Cursor).GetInt64();

    private static async Task<long> RetriesAsync(FabricNode node) =>
        (await node.HealthAsync()).GetProperty("ledger").GetProperty("retries").GetInt64();

    private static async Task<long> RecordedAsync(FabricNode node)
    {
        var journal = (await node.HealthAsync()).GetProperty("journal");
        return journal.GetProperty("head").GetInt64() - journal.GetProperty("lag").GetProperty(FabricNode.Cursor).GetInt64();
    }
}
