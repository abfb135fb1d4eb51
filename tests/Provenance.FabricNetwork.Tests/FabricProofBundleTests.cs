using System.Net;
using System.Text.Json.Nodes;
using Provenance.FabricNetwork.Tests.Support;
using Provenance.Host.Tests.Support;

namespace Provenance.FabricNetwork.Tests;

/// <summary>
/// Proof bundles of bottles recorded on the real Fabric network: the bundle carries the transaction's block evidence
/// (envelope, endorsements, header, block data, orderer signature, validation code), fetched from the peer, and
/// <c>provenance proof verify --fabric-msp</c> checks it against the network's own MSP folders; each Fabric part
/// tampered in turn is named; without the peer the ledger part is pending, never verified.
/// </summary>
[Collection(FabricNetworkCollection.Name)]
public sealed class FabricProofBundleTests(LocalFabricNetwork network)
{
    [FabricFact]
    public async Task A_bottle_on_fabric_verifies_offline_against_the_networks_msps_and_every_tampered_fabric_part_is_named()
    {
        await using var node = new FabricNode(network);
        await node.SetUpAsync("gw-proof", 4);
        await node.StartAsync();
        await node.SealAsync(node.Urls.Take(2).ToList());
        await node.WaitForLedgerAsync();
        await node.SealAsync(node.Urls.Skip(2).ToList());
        await node.WaitForLedgerAsync();

        var bundle = await ProofAsync(node, node.Urls[0]);
        var other = await ProofAsync(node, node.Urls[3]);
        Assert.Equal(("fabric", "included"), (bundle["ledger"]!["engine"]!.GetValue<string>(), bundle["ledger"]!["status"]!.GetValue<string>()));
        Assert.NotEqual(bundle["ledger"]!["transactionId"]!.GetValue<string>(), other["ledger"]!["transactionId"]!.GetValue<string>());
        var file = await WriteAsync(node, "served.json", bundle);

        var (code, output) = await VerifyAsync(node, file, network.Organizations);
        Assert.True(code == 0, output);
        Assert.Contains("proof verified", output, StringComparison.Ordinal);
        foreach (var part in new[] { "fabric-envelope", "fabric-creator-signature", "fabric-endorsements", "fabric-validation-code", "fabric-data-hash", "fabric-orderer-signature", "fabric-record" })
        {
            Assert.Contains($"{part}: ok:", output, StringComparison.Ordinal);
        }

        Assert.Contains("ProducerMSP", output, StringComparison.Ordinal);
        Assert.Contains("DistributorMSP", output, StringComparison.Ordinal);
        Assert.Contains("OrdererMSP", output, StringComparison.Ordinal);

        var (unanchoredCode, unanchoredOutput) = await VerifyAsync(node, file, null);
        Assert.Equal(0, unanchoredCode);
        Assert.Contains("warning: no --fabric-msp given: the Fabric parts are not anchored", unanchoredOutput, StringComparison.Ordinal);

        var peersOnly = Path.Combine(network.Organizations, "peerOrganizations");
        var (foreignOrdererCode, foreignOrdererOutput) = await VerifyAsync(node, file, peersOnly);
        Assert.True(foreignOrdererCode == 1, foreignOrdererOutput);
        Assert.Contains("proof FAILED: fabric-orderer-signature", foreignOrdererOutput, StringComparison.Ordinal);
        Assert.Contains("does not chain to a CA of the MSPs given", foreignOrdererOutput, StringComparison.Ordinal);

        var eventId = bundle["seal"]!["eventId"]!.GetValue<string>();
        foreach (var (part, tamper) in Tampers(eventId, other))
        {
            var copy = bundle.DeepClone().AsObject();
            tamper(copy);
            var tampered = await WriteAsync(node, "tampered.json", copy);
            var (tamperedCode, tamperedOutput) = await VerifyAsync(node, tampered, network.Organizations);
            Assert.True(tamperedCode == 1, $"tampering with {part} was not caught:\n{tamperedOutput}");
            Assert.Matches($"proof FAILED: .*{part}", tamperedOutput);
            Assert.DoesNotContain("proof verified", tamperedOutput, StringComparison.Ordinal);
        }

        node.AssertNoUnexpectedErrors();
    }

    [FabricFact]
    public async Task Proof_export_fetches_the_block_from_the_configured_peer_and_without_a_peer_the_fabric_part_is_pending()
    {
        await using var node = new FabricNode(network);
        await node.SetUpAsync("gw-proofx", 1);
        await node.StartAsync();
        await node.SealAsync();
        await node.WaitForLedgerAsync();
        var (gtin, serial) = FabricNode.TagOf(node.Urls[0]);

        var exported = Path.Combine(node.Node.WorkDirectory, "exported.json");
        var (exportCode, exportOutput) = await RunAsync(node, ["proof", "export", "--gtin", gtin, "--serial", serial, "--out", exported, "--data", node.Node.DataDirectory], network.LedgerEnvironment());
        Assert.True(exportCode == 0, exportOutput);
        Assert.Contains("ledger: included", exportOutput, StringComparison.Ordinal);
        var (code, output) = await VerifyAsync(node, exported, network.Organizations);
        Assert.True(code == 0, output);

        var offline = Path.Combine(node.Node.WorkDirectory, "offline.json");
        var (offlineCode, offlineOutput) = await RunAsync(node, ["proof", "export", "--gtin", gtin, "--serial", serial, "--out", offline, "--data", node.Node.DataDirectory], null);
        Assert.True(offlineCode == 0, offlineOutput);
        Assert.Contains("ledger: pending", offlineOutput, StringComparison.Ordinal);
        var (pendingCode, pendingOutput) = await VerifyAsync(node, offline, network.Organizations);
        Assert.True(pendingCode == 2, pendingOutput);
        Assert.Contains("ledger: pending: this node is not connected to the Fabric peer", pendingOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("proof verified", pendingOutput, StringComparison.Ordinal);
        node.AssertNoUnexpectedErrors();
    }

    /// <summary>One change per Fabric part of a bundle, and the part the verifier must name.</summary>
    private static IEnumerable<(string Part, Action<JsonObject> Tamper)> Tampers(string eventId, JsonObject other)
    {
        yield return ("fabric-creator-signature", b => FabricBundleTampering.ReplaceInPayload(b, eventId, eventId[..^1] + (eventId[^1] == 'x' ? 'y' : 'x')));
        yield return ("fabric-creator-signature", FabricBundleTampering.FlipCreatorSignature);
        yield return ("fabric-endorsements", FabricBundleTampering.FlipEndorsementSignature);
        yield return ("fabric-endorsements", FabricBundleTampering.EndorseByForeignCa);
        yield return ("fabric-record", b =>
        {
            foreach (var field in new[] { "transactionId", "blockNumber", "fabric" })
            {
                b["ledger"]![field] = other["ledger"]![field]!.DeepClone();
            }
        });
        yield return ("fabric-validation-code", FabricBundleTampering.MarkInvalid);
        yield return ("fabric-data-hash", FabricBundleTampering.ChangeDataHash);
        yield return ("fabric-orderer-signature", FabricBundleTampering.FlipOrdererSignature);
        yield return ("fabric-envelope", b => b["ledger"]!["transactionId"] = other["ledger"]!["transactionId"]!.DeepClone());
    }

    private static async Task<JsonObject> ProofAsync(FabricNode node, string url)
    {
        var link = new Uri(url);
        using var response = await node.Node.Http.GetAsync(link.AbsolutePath + "/proof" + link.Query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task<string> WriteAsync(FabricNode node, string name, JsonObject bundle)
    {
        var path = Path.Combine(node.Node.WorkDirectory, name);
        await File.WriteAllTextAsync(path, bundle.ToJsonString());
        return path;
    }

    private static Task<(int Code, string Output)> VerifyAsync(FabricNode node, string file, string? msp) =>
        RunAsync(node, msp is null ? ["proof", "verify", file] : ["proof", "verify", file, "--fabric-msp", msp], null);

    private static async Task<(int Code, string Output)> RunAsync(FabricNode node, string[] args, IDictionary<string, string>? environment)
    {
        await using var child = ChildProcess.StartDll(RepositoryPaths.HostDll, args, node.Node.WorkDirectory, environment);
        var code = await child.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (code, child.Output);
    }
}
