using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Provenance.Core.Signing;
using Provenance.Host.Tests.EndToEnd;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Proofs;

/// <summary>
/// Proof bundles of bottles sealed by the firmware simulator on a real node: served at the bottle's link + /proof (only
/// with the code's MAC), exported by the CLI, verified offline by <c>provenance proof verify</c> with the node key from
/// outside; every part tampered in turn is named; a record not yet in a signed block is "pending", never verified. The lot
/// needs percent-escapes in the link, so the proof route must read the raw request target as the scan route does.
/// </summary>
public sealed class ProofBundleTests
{
    // Part of it reads a copy of the SQLite file with a ledger entry taken out of its block.
    [Trait("Storage", TestStorage.SqliteOnly)]
    [Fact]
    public async Task A_sealed_bottles_bundle_verifies_offline_every_tampered_part_is_named_and_an_unblocked_record_is_pending()
    {
        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(4, lot: "L%2/&x");
        await node.StartAsync();
        Assert.Contains("/10/L%252%2F%26x/", urls[1], StringComparison.Ordinal);
        using (var key = Simulation.LoadKey(gateway))
        {
            await Simulation.RunAsync(Simulation.Options(node, gateway, urls, key) with { Batch = 2 }, TimeSpan.FromSeconds(60));
        }

        await SealToVerdictTests.WaitForLedgerAsync(node);
        var link = new Uri(urls[1]);
        var segments = link.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var (gtin, serial) = (segments[1], segments[^1]);

        using var served = await node.Http.GetAsync(link.AbsolutePath + "/proof" + link.Query);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var bundle = JsonNode.Parse(await served.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("included", bundle["ledger"]!["status"]!.GetValue<string>());
        Assert.Equal("complete", bundle["origin"]!["status"]!.GetValue<string>());
        Assert.NotEmpty(bundle["origin"]!["gnssMessages"]!.AsArray());
        Assert.NotNull(bundle["issuance"]!["commissioningEvent"]);
        Assert.Equal("L%2/&x", bundle["issuance"]!["lot"]!.GetValue<string>());

        var forged = link.Query.Replace("m=", "m=A", StringComparison.Ordinal);
        using (var refused = await node.Http.GetAsync(link.AbsolutePath + "/proof" + forged))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using (var unsealed = await node.Http.GetAsync(link.AbsolutePath.Replace(serial, serial + "0", StringComparison.Ordinal) + "/proof" + link.Query))
        {
            Assert.Equal(HttpStatusCode.NotFound, unsealed.StatusCode);
        }

        await node.Host!.TerminateAsync(TimeSpan.FromSeconds(30));
        var exported = Path.Combine(node.WorkDirectory, "bundle.json");
        Assert.Contains("ledger: included", await node.CliAsync("proof", "export", "--gtin", gtin, "--serial", serial, "--out", exported), StringComparison.Ordinal);
        var nodeKey = Path.Combine(node.WorkDirectory, "node.pub.pem");
        using (var ecdsa = ECDsa.Create())
        {
            ecdsa.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(node.DataDirectory, "node-key.pem")));
            await File.WriteAllTextAsync(nodeKey, ecdsa.ExportSubjectPublicKeyInfoPem());
        }

        var (code, output) = await VerifyAsync(node, exported, nodeKey);
        Assert.True(code == 0, output);
        Assert.Contains($"proof verified: {gtin}/{serial}", output, StringComparison.Ordinal);
        Assert.Contains("origin: ok: recomputed from", output, StringComparison.Ordinal);
        Assert.Contains("ledger: ok: entry", output, StringComparison.Ordinal);

        var servedFile = Path.Combine(node.WorkDirectory, "served.json");
        await File.WriteAllTextAsync(servedFile, bundle.ToJsonString());
        Assert.Equal(0, (await VerifyAsync(node, servedFile, nodeKey)).Code);

        foreach (var (part, tamper) in Tampers())
        {
            var copy = JsonNode.Parse(await File.ReadAllTextAsync(exported))!.AsObject();
            tamper(copy);
            var file = Path.Combine(node.WorkDirectory, "tampered.json");
            await File.WriteAllTextAsync(file, copy.ToJsonString());
            var (tamperedCode, tamperedOutput) = await VerifyAsync(node, file, nodeKey);
            Assert.True(tamperedCode == 1, $"tampering with {part} was not caught:\n{tamperedOutput}");
            Assert.Matches($"proof FAILED: .*{part}", tamperedOutput);
            Assert.DoesNotContain("proof verified", tamperedOutput, StringComparison.Ordinal);
        }

        using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var otherKey = Path.Combine(node.WorkDirectory, "other.pub.pem");
            await File.WriteAllTextAsync(otherKey, other.ExportSubjectPublicKeyInfoPem());
            var (otherCode, otherOutput) = await VerifyAsync(node, exported, otherKey);
            Assert.Equal(1, otherCode);
            Assert.Contains("proof FAILED: ledger", otherOutput, StringComparison.Ordinal);
        }

        var (trustingCode, trustingOutput) = await VerifyAsync(node, exported, null);
        Assert.Equal(0, trustingCode);
        Assert.Contains("warning: no --node-public-key given", trustingOutput, StringComparison.Ordinal);

        await A_bottle_sealed_before_a_gateway_key_rotation_still_verifies_with_the_key_it_was_signed_with(node, gateway, gtin, serial, nodeKey);

        var unblocked = UnblockedCopy(node, bundle["seal"]!["eventId"]!.GetValue<string>());
        var pendingFile = Path.Combine(node.WorkDirectory, "pending.json");
        Assert.Contains("ledger: pending", await node.CliAsync("proof", "export", "--gtin", gtin, "--serial", serial, "--out", pendingFile, "--db", unblocked), StringComparison.Ordinal);
        var (pendingCode, pendingOutput) = await VerifyAsync(node, pendingFile, nodeKey);
        Assert.True(pendingCode == 2, pendingOutput);
        Assert.Contains("ledger: pending: the record is not in a signed ledger block yet", pendingOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("proof verified", pendingOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// After <c>gateways rotate</c>, the bundle still carries the key the seal was signed with (from the key history), and
    /// verifies; the same bundle with the gateway's new, current key swapped in fails on "gateway".
    /// </summary>
    private static async Task A_bottle_sealed_before_a_gateway_key_rotation_still_verifies_with_the_key_it_was_signed_with(
        ProvenanceNode node, GatewayCredentials gateway, string gtin, string serial, string nodeKey)
    {
        using var newKey = GatewayKeys.Create();
        var newKeyPath = Path.Combine(node.WorkDirectory, "rotated.pub.pem");
        await File.WriteAllTextAsync(newKeyPath, GatewayKeys.ExportPublicKeyPem(newKey));
        Assert.Contains("(version 2)", await node.CliAsync("gateways", "rotate", "--id", gateway.GatewayId, "--public-key", newKeyPath), StringComparison.Ordinal);

        var rotated = Path.Combine(node.WorkDirectory, "rotated-bundle.json");
        await node.CliAsync("proof", "export", "--gtin", gtin, "--serial", serial, "--out", rotated);
        var (code, output) = await VerifyAsync(node, rotated, nodeKey);
        Assert.True(code == 0, output);
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(rotated))!.AsObject();
        Assert.NotEqual(GatewayKeys.Fingerprint(newKey), bundle["gateway"]!["keyFingerprint"]!.GetValue<string>());

        bundle["gateway"]!["publicKeyPem"] = GatewayKeys.ExportPublicKeyPem(newKey);
        bundle["gateway"]!["keyFingerprint"] = GatewayKeys.Fingerprint(newKey);
        var swapped = Path.Combine(node.WorkDirectory, "swapped-key.json");
        await File.WriteAllTextAsync(swapped, bundle.ToJsonString());
        var (swappedCode, swappedOutput) = await VerifyAsync(node, swapped, nodeKey);
        Assert.True(swappedCode == 1, swappedOutput);
        Assert.Contains("proof FAILED: gateway", swappedOutput, StringComparison.Ordinal);
    }

    /// <summary>One change per part of a bundle, and the part the verifier must name.</summary>
    private static IEnumerable<(string Part, Action<JsonObject> Tamper)> Tampers()
    {
        yield return ("seal-message", b => b["seal"]!["record"] = b["seal"]!["record"]!.GetValue<string>().Replace("\"seq\":", "\"seq\":1", StringComparison.Ordinal));
        yield return ("seal-message", b => b["seal"]!["message"] = BundleTampering.FlipSignature(b["seal"]!["message"]!.GetValue<string>()));
        yield return ("gateway", b =>
        {
            using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            b["gateway"]!["publicKeyPem"] = other.ExportSubjectPublicKeyInfoPem();
        });
        yield return ("gateway", b => b["gateway"]!["revokedAt"] = "2000-01-01T00:00:00+00:00");
        yield return ("issuance", b => b["issuance"]!["lot"] = "L9");
        yield return ("issuance", b => b["issuance"]!["commissioningEvent"]!["eventTime"] = "2001-01-01T00:00:00.000Z");
        yield return ("gnss-messages", b => b["origin"]!["gnssMessages"]![0] = BundleTampering.FlipSignature(b["origin"]!["gnssMessages"]![0]!.GetValue<string>()));
        yield return ("origin", b => b["origin"]!["inputs"]!["maxHdop"] = 0.01);
        yield return ("origin", b => b["origin"]!["result"]!["attested"] = false);
        yield return ("origin", b => b["site"]!["radiusM"] = 0.001);
        yield return ("ledger", b => b["ledger"]!["blockHeader"] = BundleTampering.FlipHex(b["ledger"]!["blockHeader"]!.GetValue<string>(), 71 * 2));
        yield return ("ledger", b => b["ledger"]!["blockSignature"] = BundleTampering.FlipHex(b["ledger"]!["blockSignature"]!.GetValue<string>(), 10));
        yield return ("ledger", b => b["ledger"]!["leafHash"] = BundleTampering.FlipHex(b["ledger"]!["leafHash"]!.GetValue<string>(), 0));
        yield return ("ledger", b => b["ledger"]!["index"] = b["ledger"]!["index"]!.GetValue<long>() + 1);
    }

    private static async Task<(int Code, string Output)> VerifyAsync(ProvenanceNode node, string file, string? nodeKey)
    {
        string[] args = nodeKey is null ? ["proof", "verify", file] : ["proof", "verify", file, "--node-public-key", nodeKey];
        await using var child = ChildProcess.StartDll(RepositoryPaths.HostDll, args, node.WorkDirectory);
        var code = await child.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (code, child.Output);
    }

    /// <summary>A copy of the node's database in which the event is sealed but not yet in a ledger block.</summary>
    private static string UnblockedCopy(ProvenanceNode node, string eventId)
    {
        var path = Path.Combine(node.WorkDirectory, "unblocked.db");
        using (var source = new SqliteConnection($"Data Source={Path.Combine(node.DataDirectory, "provenance.db")};Mode=ReadOnly;Pooling=False"))
        {
            source.Open();
            using var vacuum = source.CreateCommand();
            vacuum.CommandText = $"VACUUM INTO '{path}'";
            vacuum.ExecuteNonQuery();
        }

        using var copy = new SqliteConnection($"Data Source={path};Pooling=False");
        copy.Open();
        using var command = copy.CreateCommand();
        command.CommandText = "DELETE FROM ledger WHERE event_id = $e";
        command.Parameters.AddWithValue("$e", eventId);
        Assert.Equal(1, command.ExecuteNonQuery());
        return path;
    }
}
