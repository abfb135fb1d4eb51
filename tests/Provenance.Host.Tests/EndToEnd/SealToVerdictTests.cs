using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>The embedded product end to end: CLI set-up, the real gateway simulator over MQTT, ingestion, ledger, scan API.</summary>
public sealed class SealToVerdictTests
{
    [Fact]
    public async Task Signed_seals_become_authentic_verdicts_with_origin_and_ledger_proof()
    {
        await using var node = new ProvenanceNode();
        var gateway = await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(40);
        await node.StartAsync();
        using var key = Simulation.LoadKey(gateway);
        // GNSS first, so that every seal has a fix to be attested against.
        await Simulation.RunAsync(Simulation.Options(node, gateway, urls.Take(0).ToList(), key) with { Duration = TimeSpan.FromSeconds(1.5) }, TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        await Simulation.RunAsync(Simulation.Options(node, gateway, urls.Take(30).ToList(), key), TimeSpan.FromSeconds(60));
        await WaitForLedgerAsync(node);
        await WaitForLagAsync(node, "epcis"); // the EPCIS projection's backlog is reported next to the ledger's, and drains

        foreach (var url in urls.Take(30))
        {
            var scan = await node.ScanAsync(url);
            Assert.Equal("authentic", scan.GetProperty("verdict").GetString());
            var origin = scan.GetProperty("origin");
            Assert.Equal(ProvenanceNode.SiteId, origin.GetProperty("siteId").GetString());
            Assert.Equal(gateway.GatewayId, origin.GetProperty("gatewayId").GetString());
            var attestation = origin.GetProperty("attestation");
            Assert.True(attestation.GetProperty("attested").GetBoolean(), attestation.ToString());
            Assert.True(attestation.GetProperty("bdsSats").GetInt32() > 0);
            Assert.True(scan.GetProperty("ledger").GetProperty("index").GetInt64() > 0);
        }

        Assert.Equal("not_sealed", (await node.ScanAsync(urls[35])).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_code_with_one_character_of_its_mac_changed_is_counterfeit()
    {
        await using var node = new ProvenanceNode();
        await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(3);
        await node.StartAsync();

        var url = urls[0];
        var altered = ForgedCode.WithAlteredMac(url);

        Assert.Equal("counterfeit", (await node.ScanAsync(altered)).GetProperty("verdict").GetString());
        Assert.Equal("not_sealed", (await node.ScanAsync(url)).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_code_whose_lot_needs_percent_escapes_scans_as_issued_not_as_counterfeit()
    {
        await using var node = new ProvenanceNode();
        await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(2, lot: "L%2/&x");
        await node.StartAsync();

        Assert.Contains("/10/L%252%2F%26x/", urls[0], StringComparison.Ordinal);
        var scan = await node.ScanAsync(urls[0]);
        Assert.Equal("not_sealed", scan.GetProperty("verdict").GetString());
        Assert.Equal("L%2/&x", scan.GetProperty("code").GetProperty("lot").GetString());
    }

    internal static Task WaitForLedgerAsync(ProvenanceNode node) => WaitForLagAsync(node, "ledger");

    private static async Task WaitForLagAsync(ProvenanceNode node, string sink)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var health = await node.HealthAsync();
            if (health.GetProperty("journal").GetProperty("lag").GetProperty(sink).GetInt64() == 0)
            {
                return;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    internal static long DeadLetters(JsonElement health, string reason) =>
        health.GetProperty("deadLetters").TryGetProperty(reason, out var n) ? n.GetInt64() : 0;
}
