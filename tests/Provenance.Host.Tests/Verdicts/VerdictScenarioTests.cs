using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Host.Composition;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Verdicts;

/// <summary>Every verdict, produced through public interfaces: CLI, MQTT seals from the gateway simulator, HTTP ship/receive/scan.</summary>
public sealed class VerdictScenarioTests(SealedNodeFixture f) : IClassFixture<SealedNodeFixture>
{
    private const double GuiyangLat = 26.65, GuiyangLon = 106.63, ShanghaiLat = 31.23, ShanghaiLon = 121.47;

    private static readonly object GuizhouRegion = new { polygons = new[] { new[] { new[] { 24.6, 103.6 }, new[] { 24.6, 109.6 }, new[] { 29.2, 109.6 }, new[] { 29.2, 103.6 } } } };

    [Fact]
    public async Task A_sealed_bottle_is_authentic_with_origin_ledger_and_history()
    {
        var scan = await ApiCalls.ScanAsync(f.Node, f.Sealed[0]);

        Assert.Equal("authentic", scan.GetProperty("verdict").GetString());
        Assert.Equal(["sealed_at_registered_line", "origin_attested"], ApiCalls.Reasons(scan));
        Assert.Equal(ProvenanceNode.SiteId, scan.GetProperty("origin").GetProperty("siteId").GetString());
        Assert.True(scan.GetProperty("ledger").GetProperty("index").GetInt64() > 0);
        Assert.Equal("none", scan.GetProperty("locationSource").GetString());
        Assert.Equal(1, scan.GetProperty("history").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_forged_mac_is_counterfeit_and_extra_query_parameters_do_not_break_a_genuine_one()
    {
        var url = f.Sealed[11];
        var forged = ForgedCode.WithAlteredMac(url);

        Assert.Equal("counterfeit", (await ApiCalls.ScanAsync(f.Node, forged)).GetProperty("verdict").GetString());
        var located = await ApiCalls.ScanAsync(f.Node, url, lat: GuiyangLat, lon: GuiyangLon);
        Assert.Equal("authentic", located.GetProperty("verdict").GetString());
        Assert.Equal("browser", located.GetProperty("locationSource").GetString());
    }

    [Fact]
    public async Task An_authenticated_code_that_was_never_issued_is_unknown_and_raises_an_alert()
    {
        // A leaked MAC key is the only way to make such a code: sign one with the node's own key file.
        var codes = new CodeAuthenticator(CodeKeyFile.Load(f.Node.DataDirectory, new CodeOptions()));
        var url = codes.Sign(DigitalLink.ForTag(f.Node.Authority, Gtin.Parse(ProvenanceNode.Gtin), Serial.Generate(), "L1", "http"));

        Assert.Equal("unknown", (await ApiCalls.ScanAsync(f.Node, url)).GetProperty("verdict").GetString());
        var serial = DigitalLink.Parse(url).Serial;
        await WaitForAlertAsync("unknown", a => a.GetProperty("serial").GetString() == serial);
    }

    [Fact]
    public async Task An_issued_label_that_was_never_sealed_is_not_sealed()
    {
        Assert.Equal("not_sealed", (await ApiCalls.ScanAsync(f.Node, f.Unsealed[0])).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_recalled_lot_and_a_recalled_tag_are_recalled()
    {
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/recalls", f.ProducerKey, new { gtin = ProvenanceNode.Gtin, lot = "L2", reason = "glass fragments" });
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/recalls", f.ProducerKey, new { tags = new[] { f.Sealed[1] }, reason = "returned" });

        var lot = await ApiCalls.ScanAsync(f.Node, f.Lot2[0]);
        Assert.Equal("recalled", lot.GetProperty("verdict").GetString());
        Assert.Equal(["lot_recalled", "not_sealed"], ApiCalls.Reasons(lot));
        Assert.Equal("glass fragments", lot.GetProperty("recall").GetProperty("reason").GetString());
        var tag = await ApiCalls.ScanAsync(f.Node, f.Sealed[1]);
        Assert.Equal("recalled", tag.GetProperty("verdict").GetString());
        Assert.Equal("tag", tag.GetProperty("recall").GetProperty("scope").GetString());
        Assert.Equal("authentic", (await ApiCalls.ScanAsync(f.Node, f.Sealed[12])).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_bottle_answered_from_memory_is_answered_afresh_once_it_is_recalled_voided_or_opened()
    {
        // Each is scanned twice first: the second answer comes from the scan read model (sealed, ledger proof recorded).
        string[] urls = [f.Sealed[21], f.Sealed[22], f.Sealed[23]];
        foreach (var url in urls)
        {
            Assert.Equal("authentic", (await ApiCalls.ScanAsync(f.Node, url)).GetProperty("verdict").GetString());
            Assert.Equal(2, (await ApiCalls.ScanAsync(f.Node, url)).GetProperty("history").GetProperty("count").GetInt32());
            await ApiCalls.WaitForScansAsync(f.Node, f.ProducerKey, url, 2); // a change reloads the history from the database
        }

        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/recalls", f.ProducerKey, new { tags = new[] { urls[0] }, reason = "returned" });
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/voids", f.ProducerKey, new { tags = new[] { urls[1] }, reason = "misprint" });
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/opened", f.ProducerKey, new { tags = new[] { urls[2] }, source = "retailer" });

        Assert.Equal("recalled", (await ApiCalls.ScanAsync(f.Node, urls[0])).GetProperty("verdict").GetString());
        Assert.Equal("void", (await ApiCalls.ScanAsync(f.Node, urls[1])).GetProperty("verdict").GetString());
        var opened = await ApiCalls.ScanAsync(f.Node, urls[2]);
        Assert.Equal("opened", opened.GetProperty("verdict").GetString());
        Assert.Equal(3, opened.GetProperty("history").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_voided_tag_is_void()
    {
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/voids", f.ProducerKey, new { tags = new[] { f.Sealed[2] }, reason = "misprint" });

        Assert.Equal("void", (await ApiCalls.ScanAsync(f.Node, f.Sealed[2])).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_bottle_whose_seal_was_opened_is_opened_at_the_servers_time_not_the_time_the_client_claims()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/opened", f.ProducerKey, new { tags = new[] { f.Sealed[3] }, source = "nfc", at = DateTimeOffset.UtcNow.AddDays(-3) });

        var scan = await ApiCalls.ScanAsync(f.Node, f.Sealed[3]);
        Assert.Equal("opened", scan.GetProperty("verdict").GetString());
        var openedAt = scan.GetProperty("openedAt").GetDateTimeOffset();
        Assert.InRange(openedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task A_code_scanned_longer_than_the_grace_after_its_seal_was_opened_is_a_suspect_clone()
    {
        var opened = DateTimeOffset.UtcNow;
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/opened", f.ProducerKey, new { tags = new[] { f.Sealed[4] }, source = "retailer" });

        // The grace runs on the server's clock from the moment the event was recorded: scan until it has passed.
        using var timeout = new CancellationTokenSource(SealedNodeFixture.OpenedGrace + TimeSpan.FromSeconds(30));
        JsonElement scan;
        while ((scan = await ApiCalls.ScanAsync(f.Node, f.Sealed[4])).GetProperty("verdict").GetString() != "suspect_clone")
        {
            Assert.Equal("opened", scan.GetProperty("verdict").GetString());
            await Task.Delay(250, timeout.Token);
        }

        Assert.True(DateTimeOffset.UtcNow - opened >= SealedNodeFixture.OpenedGrace);
        Assert.Equal(["scanned_after_opened", "origin_attested"], ApiCalls.Reasons(scan));
    }

    [Fact]
    public async Task A_code_scanned_in_guiyang_and_then_shanghai_minutes_later_is_a_suspect_clone_with_its_history()
    {
        var url = f.Sealed[5];
        Assert.Equal("authentic", (await ApiCalls.ScanAsync(f.Node, url, "198.51.100.10", GuiyangLat, GuiyangLon)).GetProperty("verdict").GetString());
        await ApiCalls.WaitForScansAsync(f.Node, f.ProducerKey, url, 1);

        var scan = await ApiCalls.ScanAsync(f.Node, url, "198.51.100.11", ShanghaiLat, ShanghaiLon);

        Assert.Equal("suspect_clone", scan.GetProperty("verdict").GetString());
        Assert.Equal(["impossible_travel", "origin_attested"], ApiCalls.Reasons(scan));
        Assert.Equal("high", scan.GetProperty("confidence").GetString());
        var history = scan.GetProperty("history");
        Assert.Equal(2, history.GetProperty("count").GetInt32());
        Assert.Equal(GuiyangLat, history.GetProperty("firstPlace").GetProperty("lat").GetDouble());
        var serial = new Uri(url).AbsolutePath.Split('/')[^1];
        await WaitForAlertAsync("suspect_clone", a => a.GetProperty("serial").GetString() == serial);
    }

    [Fact]
    public async Task One_client_claiming_far_apart_places_or_many_browsers_cannot_make_a_genuine_bottle_suspicious()
    {
        var url = f.Sealed[14];
        const string Liar = "198.51.100.77";
        for (var i = 0; i < 8; i++)
        {
            var (lat, lon) = i % 2 == 0 ? (GuiyangLat, GuiyangLon) : (ShanghaiLat, ShanghaiLon);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url).PathAndQuery + FormattableString.Invariant($"&lat={lat}&lon={lon}&acc=10"));
            request.Headers.Add("X-Forwarded-For", Liar);
            request.Headers.UserAgent.ParseAdd($"Browser{i}/1.0");
            using var response = await f.Node.Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            await ApiCalls.WaitForScansAsync(f.Node, f.ProducerKey, url, i + 1);
        }

        var honest = await ApiCalls.ScanAsync(f.Node, url, "203.0.113.40");

        Assert.Equal("authentic", honest.GetProperty("verdict").GetString());
        Assert.Equal(9, honest.GetProperty("history").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_code_scanned_by_more_distinct_scanners_than_plausible_is_a_suspect_clone()
    {
        var url = f.Sealed[6];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("authentic", (await ApiCalls.ScanAsync(f.Node, url, $"198.51.100.{20 + i}")).GetProperty("verdict").GetString());
            await ApiCalls.WaitForScansAsync(f.Node, f.ProducerKey, url, i + 1);
        }

        var scan = await ApiCalls.ScanAsync(f.Node, url, "198.51.100.99");

        Assert.Equal("suspect_clone", scan.GetProperty("verdict").GetString());
        Assert.Equal(["too_many_scanners", "origin_attested"], ApiCalls.Reasons(scan));
        Assert.Equal(6, scan.GetProperty("history").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_shipped_bottle_scanned_outside_its_distributors_region_is_diverted_and_inside_it_authentic()
    {
        var (distributorId, _) = await CreateDistributorAsync("d-consumer");
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId, tags = new[] { f.Sealed[7], f.Sealed[8] } });

        var outside = await ApiCalls.ScanAsync(f.Node, f.Sealed[7], lat: ShanghaiLat, lon: ShanghaiLon, acc: 3000);
        var inside = await ApiCalls.ScanAsync(f.Node, f.Sealed[8], lat: GuiyangLat, lon: GuiyangLon);

        Assert.Equal("diverted", outside.GetProperty("verdict").GetString());
        Assert.Equal(["outside_sales_region", "origin_attested"], ApiCalls.Reasons(outside));
        Assert.Equal("medium", outside.GetProperty("confidence").GetString());
        Assert.Equal("authentic", inside.GetProperty("verdict").GetString());
        Assert.Equal("polygon-1", inside.GetProperty("shipment").GetProperty("region")[0].GetString());
        // A consumer's scan is weak evidence only (issue 22): recorded for the producer, no dealer alert.
        var evidence = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/api/diversion/evidence?distributorId={distributorId}", f.ProducerKey);
        Assert.Equal("weak", Assert.Single(evidence.EnumerateArray()).GetProperty("grade").GetString());
        Assert.DoesNotContain((await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/alerts?kind=diverted&limit=1000", f.ProducerKey)).GetProperty("items").EnumerateArray(),
            a => a.GetProperty("distributorId").GetString() == distributorId);
    }

    [Fact]
    public async Task A_distributor_receipt_outside_the_region_is_reported_and_makes_the_bottle_diverted()
    {
        var (distributorId, key) = await CreateDistributorAsync("d-receipt");
        var (_, otherKey) = await CreateDistributorAsync("d-other");
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId, tags = new[] { f.Sealed[9], f.Sealed[13] } });
        var forged = ForgedCode.WithAlteredMac(f.Sealed[20]);
        var body = string.Join('\n', f.Sealed[9], f.Sealed[13], f.Sealed[10], forged);

        using var response = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, FormattableString.Invariant($"/api/receipts?lat={ShanghaiLat}&lon={ShanghaiLon}"), key, content: new StringContent(body));
        var receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        using var misdirected = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/receipts", otherKey, content: new StringContent(f.Sealed[9]));
        var other = JsonDocument.Parse(await misdirected.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(4, receipt.GetProperty("received").GetInt32());
        Assert.Equal([f.Sealed[9], f.Sealed[13]], receipt.GetProperty("otherRegion").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([f.Sealed[10]], receipt.GetProperty("notAllocatedToYou").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([forged], receipt.GetProperty("counterfeit").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([f.Sealed[9]], other.GetProperty("notAllocatedToYou").EnumerateArray().Select(e => e.GetString()));
        await ApiCalls.WaitForScansAsync(f.Node, f.ProducerKey, f.Sealed[9], 1);
        var scan = await ApiCalls.ScanAsync(f.Node, f.Sealed[9]);
        Assert.Equal("diverted", scan.GetProperty("verdict").GetString());
        Assert.Equal(["previously_outside_sales_region", "origin_attested"], ApiCalls.Reasons(scan));
    }

    private async Task<(string Id, string Key)> CreateDistributorAsync(string id)
    {
        var created = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/distributors", f.ProducerKey, new { id, name = id, country = "CN", region = GuizhouRegion });
        return (id, created.GetProperty("apiKey").GetString()!);
    }

    private async Task WaitForAlertAsync(string kind, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/api/alerts?kind={kind}&limit=1000", f.ProducerKey)).GetProperty("items").EnumerateArray().Any(match))
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
