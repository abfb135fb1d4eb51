using Provenance.FabricNetwork.Tests.Support;
using Provenance.Host.Tests.Support;

namespace Provenance.FabricNetwork.Tests;

/// <summary>
/// The <c>fabric</c> ledger engine end to end: <c>provenance serve</c> as a child process, set up through the CLI, fed
/// by the real gateway simulator over MQTT, recording to the real network.
/// </summary>
[Collection(FabricNetworkCollection.Name)]
public sealed class FabricLedgerEngineTests(LocalFabricNetwork network)
{
    [FabricFact]
    public async Task Simulated_seals_reach_the_chain_exactly_once_and_a_scanned_bottle_proof_matches_the_peer_block()
    {
        await using var node = new FabricNode(network);
        await node.SetUpAsync("gw-e2e", 120);
        await node.StartAsync();

        await node.SealAsync();
        await node.WaitForLedgerAsync();

        using var client = network.Connect();
        foreach (var url in node.Urls)
        {
            var ledger = await node.LedgerOfAsync(url);
            Assert.Equal("fabric", ledger.GetProperty("engine").GetString());
            Assert.Equal("recorded", ledger.GetProperty("status").GetString());
            var (gtin, serial) = FabricNode.TagOf(url);
            var onChain = await client.TagRecordAsync(gtin, serial);
            Assert.Equal(ledger.GetProperty("eventId").GetString(), onChain!.Value.GetProperty("eventId").GetString());
            Assert.Equal(ledger.GetProperty("txId").GetString(), onChain.Value.GetProperty("txId").GetString());
            Assert.Equal(1, await client.TagVersionsAsync(gtin, serial));
        }

        // One bottle's proof, as a consumer's scan shows it, against the peer's own block.
        var proof = await node.LedgerOfAsync(node.Urls[57]);
        var block = await client.BlockOfTransactionAsync(proof.GetProperty("txId").GetString()!);
        Assert.Equal((ulong)proof.GetProperty("blockNumber").GetInt64(), block.Number);
        Assert.True(block.DataHashMatches);
        var transaction = Assert.Single(block.Transactions, t => t.TransactionId == proof.GetProperty("txId").GetString());
        Assert.Equal(["DistributorMSP", "ProducerMSP"], transaction.EndorserMspIds.Order(StringComparer.Ordinal));
        Assert.Contains(proof.GetProperty("eventId").GetString()!, transaction.EventPayload, StringComparison.Ordinal);
        var health = await node.HealthAsync();
        Assert.Equal("ok", health.GetProperty("ledger").GetProperty("state").GetString());
        Assert.Empty(new DeadLetterCounts(health).ReasonsOtherThan());
        node.AssertNoUnexpectedErrors();
    }

    [FabricFact]
    public async Task Without_an_admin_identity_an_unregistered_gateway_fails_readiness_until_register_gateway_registers_it()
    {
        await using var node = new FabricNode(network);
        await node.SetUpAsync("gw-noadm", 20);
        await node.StartAsync(withAdmin: false);

        await node.SealAsync();
        var reason = await node.WaitUntilNotReadyAsync();

        Assert.Contains("gateway_not_registered", (await node.HealthAsync()).GetProperty("ledger").GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.Contains($"provenance fabric register-gateway --id {node.Gateway.GatewayId}", reason, StringComparison.Ordinal);
        var pending = await node.LedgerOfAsync(node.Urls[0]);
        Assert.Equal("fabric", pending.GetProperty("engine").GetString());
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.True(await node.MetricAsync("provenance_ledger_failures", "reason=\"gateway_not_registered\"") >= 1);

        var admin = network.IdentityFiles("producer", "Admin");
        await using (var cli = ChildProcess.StartDll(
            RepositoryPaths.HostDll,
            ["fabric", "register-gateway", "--id", node.Gateway.GatewayId, "--admin-cert", admin.Certificate, "--admin-key", admin.Key, "--data", node.Node.DataDirectory],
            node.Node.WorkDirectory,
            network.LedgerEnvironment()))
        {
            Assert.True(await cli.WaitForExitAsync(TimeSpan.FromMinutes(1)) == 0, cli.Output);
            Assert.Contains($"{node.Gateway.GatewayId}: registered on channel 'provenance'", cli.Output, StringComparison.Ordinal);
        }

        await node.WaitForLedgerAsync();
        await node.Node.WaitReadyAsync();
        Assert.Equal("recorded", (await node.LedgerOfAsync(node.Urls[0])).GetProperty("status").GetString());
        node.AssertNoUnexpectedErrors("LedgerSink[6001]", FabricNode.UnhealthyCheckLog);
    }

    [FabricFact]
    public async Task A_chaincode_that_is_not_deployed_fails_readiness_with_the_reason_counts_in_metrics_and_scans_stay_pending()
    {
        await using var node = new FabricNode(network);
        await node.SetUpAsync("gw-nocc", 5);
        await node.StartAsync(true, "--Ledger:Fabric:Chaincode=not-deployed");

        await node.SealAsync();
        var reason = await node.WaitUntilNotReadyAsync();

        Assert.Contains("Chaincode 'not-deployed' is not deployed", reason, StringComparison.Ordinal);
        Assert.Contains("network.sh deploy", reason, StringComparison.Ordinal);
        Assert.True(await node.MetricAsync("provenance_ledger_failures", "reason=\"chaincode_missing\"") >= 1);
        var ledger = await node.LedgerOfAsync(node.Urls[0]);
        Assert.Equal(("fabric", "pending"), (ledger.GetProperty("engine").GetString(), ledger.GetProperty("status").GetString()));
        Assert.True(await node.LagAsync() > 0);
        node.AssertNoUnexpectedErrors("LedgerSink[6001]", FabricNode.UnhealthyCheckLog);
    }

    [FabricFact]
    public async Task A_channel_the_peer_does_not_have_fails_readiness_with_the_reason()
    {
        await using var node = new FabricNode(network);
        await node.SetUpAsync("gw-nochan", 5);
        await node.StartAsync(true, "--Ledger:Fabric:Channel=no-such-channel");

        await node.SealAsync();
        var reason = await node.WaitUntilNotReadyAsync();

        Assert.Contains("has no channel 'no-such-channel'", reason, StringComparison.Ordinal);
        Assert.Equal("channel_not_found", (await node.HealthAsync()).GetProperty("ledger").GetProperty("code").GetString());
        node.AssertNoUnexpectedErrors("LedgerSink[6001]", FabricNode.UnhealthyCheckLog);
    }

    [FabricFact]
    public async Task Switching_an_installation_from_the_embedded_ledger_to_fabric_anchors_every_earlier_seal()
    {
        await using var node = new FabricNode(network);
        await node.SetUpAsync("gw-switch", 40);
        await node.Node.StartAsync();
        await node.SealAsync(node.Urls.Take(30).ToList());
        var embedded = await node.LedgerOfAsync(node.Urls[0]);
        Assert.Equal("embedded", embedded.GetProperty("engine").GetString());
        await node.Node.Host!.TerminateAsync(TimeSpan.FromSeconds(30));

        await node.StartAsync();
        Assert.True(await node.LagAsync() > 0, "the Fabric engine starts from its own cursor, not the embedded ledger's");
        await node.SealAsync(node.Urls.Skip(30).ToList());
        await node.WaitForLedgerAsync();

        using var client = network.Connect();
        foreach (var url in node.Urls)
        {
            var ledger = await node.LedgerOfAsync(url);
            Assert.Equal(("fabric", "recorded"), (ledger.GetProperty("engine").GetString(), ledger.GetProperty("status").GetString()));
            var (gtin, serial) = FabricNode.TagOf(url);
            Assert.Equal(ledger.GetProperty("eventId").GetString(), (await client.TagRecordAsync(gtin, serial))!.Value.GetProperty("eventId").GetString());
        }

        node.AssertNoUnexpectedErrors();
    }
}
