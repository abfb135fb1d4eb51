using System.Net;
using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Verdicts;

/// <summary>
/// What a channel manager met with three distributors, cases and receipts (issue 22), through the HTTP API of a node
/// whose bottles were sealed over MQTT: province regions, receipts that name the owner, custody that is not a consumer
/// scan, the owner of a bottle, re-shipping. Each test uses its own bottles and distributors.
/// </summary>
public sealed class ChannelManagerTests(SealedNodeFixture f) : IClassFixture<SealedNodeFixture>
{
    private const double GuangzhouLat = 23.13, GuangzhouLon = 113.26, ChengduLat = 30.66, ChengduLon = 104.07, NewYorkLat = 40.71, NewYorkLon = -74.01;

    private static readonly object Guangdong = new { polygons = new[] { new[] { new[] { 20.2, 109.6 }, new[] { 20.2, 117.3 }, new[] { 25.5, 117.3 }, new[] { 25.5, 109.6 } } } };

    [Fact]
    public async Task A_region_given_as_a_province_code_is_refused_with_what_to_give_instead()
    {
        using var distributor = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/distributors", f.ProducerKey, new { id = "cm-gd-iso", name = "GD", region = new { iso = new[] { "CN-GD" } } });
        var text = await distributor.Content.ReadAsStringAsync();
        await CreateDistributorAsync("cm-gd-ship");
        using var shipment = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId = "cm-gd-ship", region = new { iso = new[] { "CN", "CN-GD" } }, tags = new[] { f.Sealed[29] } });

        Assert.Equal(HttpStatusCode.BadRequest, distributor.StatusCode);
        Assert.Contains("CN-GD", text, StringComparison.Ordinal);
        Assert.Contains("polygons", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, shipment.StatusCode);
        using var missing = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, "/api/distributors/cm-gd-iso", f.ProducerKey);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var country = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/distributors", f.ProducerKey, new { id = "cm-cn", name = "CN", region = new { iso = new[] { "CN" } } });
        Assert.Equal("CN", country.GetProperty("distributor").GetProperty("region").GetProperty("iso")[0].GetString());
    }

    [Fact]
    public async Task A_bottle_received_by_another_distributor_alerts_its_owner_naming_the_receiver_and_place_and_joins_its_history()
    {
        var (owner, ownerKey) = await CreateDistributorAsync("cm-owner-1");
        var (receiver, receiverKey) = await CreateDistributorAsync("cm-receiver-1");
        await ShipAsync(owner, f.Sealed[0]);

        var receipt = await ReceiveAsync(receiverKey, $"?lat={GuangzhouLat}&lon={GuangzhouLon}", f.Sealed[0]);

        Assert.Equal([f.Sealed[0]], Codes(receipt, "notAllocatedToYou"));
        Assert.Empty(Codes(receipt, "neverShipped"));
        var alert = await WaitForAlertAsync(ownerKey, a => a.GetProperty("serial").GetString() == Serial(f.Sealed[0]));
        Assert.Equal("receipt_mismatch", alert.GetProperty("kind").GetString());
        Assert.Equal(owner, alert.GetProperty("distributorId").GetString());
        var detail = alert.GetProperty("detail");
        Assert.Equal("received_by_another_distributor", detail.GetProperty("reason").GetString());
        Assert.Equal(owner, detail.GetProperty("owner").GetString());
        Assert.Equal(receiver, detail.GetProperty("receiver").GetString());
        Assert.Equal(GuangzhouLat, detail.GetProperty("place").GetProperty("lat").GetDouble());
        Assert.Equal(1, detail.GetProperty("count").GetInt32());
        await ApiCalls.WaitForScansAsync(f.Node, f.ProducerKey, f.Sealed[0], 1);
        var history = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[0], "scans"), f.ProducerKey);
        Assert.Equal("distributor", history[0].GetProperty("locationSource").GetString());
    }

    [Fact]
    public async Task A_case_received_by_another_distributor_is_one_alert_with_its_sscc_and_count()
    {
        var (owner, ownerKey) = await CreateDistributorAsync("cm-owner-2");
        var (_, receiverKey) = await CreateDistributorAsync("cm-receiver-2");
        var caseUri = new Uri(f.Sealed[1]).GetLeftPart(UriPartial.Authority) + "/00/106141411234567897";
        var bottles = new[] { f.Sealed[1], f.Sealed[2], f.Sealed[3] };
        var created = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/cases", f.ProducerKey, new { code = caseUri, tags = bottles });
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId = owner, cases = new[] { caseUri } });

        var receipt = await ReceiveAsync(receiverKey, string.Empty, caseUri);

        Assert.Equal([caseUri], Codes(receipt, "notAllocatedToYou"));
        var caseCode = created.GetProperty("code").GetString();
        var alert = await WaitForAlertAsync(ownerKey, a => a.GetProperty("detail").TryGetProperty("case", out var c) && c.GetString() == caseCode);
        Assert.Equal(3, alert.GetProperty("detail").GetProperty("count").GetInt32());
        var all = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/api/alerts?kind=receipt_mismatch&distributorId={owner}", f.ProducerKey);
        Assert.Single(all.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_never_shipped_bottle_and_counterfeit_codes_in_a_receipt_each_raise_their_own_alert()
    {
        var (receiver, receiverKey) = await CreateDistributorAsync("cm-receiver-3");
        var forged = Forge(f.Sealed[5]);

        var receipt = await ReceiveAsync(receiverKey, string.Empty, f.Sealed[4], forged);

        Assert.Equal([f.Sealed[4]], Codes(receipt, "neverShipped"));
        Assert.Equal([forged], Codes(receipt, "counterfeit"));
        var neverShipped = await WaitForAlertAsync(f.ProducerKey, a => a.GetProperty("serial").GetString() == Serial(f.Sealed[4]));
        Assert.Equal("never_shipped", neverShipped.GetProperty("detail").GetProperty("reason").GetString());
        Assert.Equal(receiver, neverShipped.GetProperty("detail").GetProperty("receiver").GetString());
        var fake = await WaitForAlertAsync(receiverKey, a => Reason(a) == "counterfeit_codes");
        Assert.Equal(1, fake.GetProperty("detail").GetProperty("count").GetInt32());
        Assert.Equal(forged, fake.GetProperty("detail").GetProperty("codes")[0].GetString());
    }

    [Fact]
    public async Task Receipt_coordinates_out_of_range_are_refused_and_a_place_outside_the_receivers_region_is_flagged()
    {
        var (receiver, receiverKey) = await CreateDistributorAsync("cm-receiver-4");
        await ShipAsync(receiver, f.Sealed[6]);

        foreach (var query in new[] { "?lat=300&lon=113", "?lat=23.1", "?lat=23.1&lon=abc", "?lat=23.1&lon=113&acc=-5", "?country=China" })
        {
            using var refused = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/receipts" + query, receiverKey, content: new StringContent(f.Sealed[6]));
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)refused.StatusCode}");
        }

        var receipt = await ReceiveAsync(receiverKey, $"?lat={NewYorkLat}&lon={NewYorkLon}", f.Sealed[6]);

        Assert.True(receipt.GetProperty("placeOutsideYourRegion").GetBoolean());
        Assert.Equal([f.Sealed[6]], Codes(receipt, "otherRegion"));
        var alert = await WaitForAlertAsync(receiverKey, a => Reason(a) == "receipt_outside_receiver_region");
        Assert.Equal(NewYorkLon, alert.GetProperty("detail").GetProperty("place").GetProperty("lon").GetDouble());
        await ApiCalls.WaitForScansAsync(f.Node, f.ProducerKey, f.Sealed[6], 1);
        Assert.Equal(1, (await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[6], "scans"), f.ProducerKey)).GetArrayLength());
    }

    [Fact]
    public async Task A_warehouse_receipt_is_neither_a_consumer_scan_for_impossible_travel_nor_the_public_first_place()
    {
        var (distributor, key) = await CreateDistributorAsync("cm-gz-warehouse");
        await ShipAsync(distributor, f.Sealed[7]);
        await ReceiveAsync(key, $"?lat={GuangzhouLat}&lon={GuangzhouLon}", f.Sealed[7]);
        await ApiCalls.WaitForScansAsync(f.Node, f.ProducerKey, f.Sealed[7], 1);

        var scan = await ApiCalls.ScanAsync(f.Node, f.Sealed[7], client: "198.51.100.71", lat: ChengduLat, lon: ChengduLon);

        Assert.Equal("diverted", scan.GetProperty("verdict").GetString());
        Assert.DoesNotContain("impossible_travel", ApiCalls.Reasons(scan));
        var history = scan.GetProperty("history");
        Assert.Equal(1, history.GetProperty("count").GetInt32());
        Assert.Equal(ChengduLat, history.GetProperty("firstPlace").GetProperty("lat").GetDouble(), 1);
    }

    [Fact]
    public async Task A_producer_and_the_owner_can_ask_which_distributor_a_bottle_belongs_to_and_no_one_else_can()
    {
        var (owner, ownerKey) = await CreateDistributorAsync("cm-owner-5");
        var (_, otherKey) = await CreateDistributorAsync("cm-other-5");
        await ShipAsync(owner, f.Sealed[8]);

        var asked = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[8], "distributor"), f.ProducerKey);
        var own = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[8], "distributor"), ownerKey);
        using var other = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[8], "distributor"), otherKey);
        using var unshipped = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[9], "distributor"), f.ProducerKey);

        Assert.Equal(owner, asked.GetProperty("distributor").GetProperty("id").GetString());
        Assert.Equal(owner, own.GetProperty("shipment").GetProperty("distributorId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unshipped.StatusCode);
    }

    [Fact]
    public async Task Shipping_a_bottle_already_shipped_is_refused_unless_reassigned_on_purpose()
    {
        var (first, _) = await CreateDistributorAsync("cm-first-6");
        var (second, _) = await CreateDistributorAsync("cm-second-6");
        await ShipAsync(first, f.Sealed[10]);

        using var again = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId = second, tags = new[] { f.Sealed[10] } });
        var text = await again.Content.ReadAsStringAsync();
        var stillFirst = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[10], "distributor"), f.ProducerKey);
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId = second, tags = new[] { f.Sealed[10] }, reassign = true });
        var moved = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[10], "distributor"), f.ProducerKey);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("reassign", text, StringComparison.Ordinal);
        Assert.Equal(first, stillFirst.GetProperty("distributor").GetProperty("id").GetString());
        Assert.Equal(second, moved.GetProperty("distributor").GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_alert_feed_honours_the_distributor_filter_and_a_distributor_cannot_read_another_through_it()
    {
        var (a, keyA) = await CreateDistributorAsync("cm-filter-a");
        var (b, keyB) = await CreateDistributorAsync("cm-filter-b");
        await ShipAsync(a, f.Sealed[11]);
        await ShipAsync(b, f.Sealed[12]);
        await ReceiveAsync(keyA, $"?lat={NewYorkLat}&lon={NewYorkLon}", f.Sealed[11]);
        await ReceiveAsync(keyB, $"?lat={NewYorkLat}&lon={NewYorkLon}", f.Sealed[12]);
        await WaitForAlertAsync(keyA, _ => true);
        await WaitForAlertAsync(keyB, _ => true);

        var onlyA = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/api/alerts?distributorId={a}&limit=1000", f.ProducerKey);
        var bAskingForA = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/api/alerts?distributorId={a}", keyB);

        Assert.NotEmpty(onlyA.GetProperty("items").EnumerateArray());
        Assert.All(onlyA.GetProperty("items").EnumerateArray(), i => Assert.Equal(a, i.GetProperty("distributorId").GetString()));
        Assert.Empty(bAskingForA.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_distributor_report_counts_its_shipments_bottles_and_alerts_by_kind_for_it_and_the_producer_only()
    {
        var (id, key) = await CreateDistributorAsync("cm-report");
        var (_, otherKey) = await CreateDistributorAsync("cm-report-other");
        await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId = id, tags = new[] { f.Sealed[13], f.Sealed[14] } });
        await ReceiveAsync(key, $"?lat={NewYorkLat}&lon={NewYorkLon}", f.Sealed[13]);
        await WaitForAlertAsync(key, a => a.GetProperty("kind").GetString() == "diverted");
        await WaitForAlertAsync(key, a => Reason(a) == "receipt_outside_receiver_region");

        var report = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/api/distributors/{id}/report", f.ProducerKey);
        var own = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/api/distributors/{id}/report", key);
        using var other = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, $"/api/distributors/{id}/report", otherKey);

        Assert.Equal(1, report.GetProperty("shipments").GetInt64());
        Assert.Equal(2, report.GetProperty("bottles").GetInt64());
        Assert.Equal(1, report.GetProperty("alertsByKind").GetProperty("diverted").GetInt64());
        Assert.Equal(1, report.GetProperty("alertsByKind").GetProperty("receipt_mismatch").GetInt64());
        Assert.Equal(report.GetRawText(), own.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    private async Task<(string Id, string Key)> CreateDistributorAsync(string id)
    {
        var created = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/distributors", f.ProducerKey, new { id, name = id, country = "CN", region = Guangdong });
        return (id, created.GetProperty("apiKey").GetString()!);
    }

    private Task<JsonElement> ShipAsync(string distributorId, string bottle) =>
        ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId, tags = new[] { bottle } });

    private async Task<JsonElement> ReceiveAsync(string key, string query, params string[] codes)
    {
        using var response = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, FormattableString.Invariant($"/api/receipts{query}"), key, content: new StringContent(string.Join('\n', codes)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"receipt: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> WaitForAlertAsync(string key, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var items = (await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/alerts?limit=1000", key)).GetProperty("items").EnumerateArray().Where(match).ToList();
            if (items.Count > 0)
            {
                return items[0];
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private static string? Reason(JsonElement alert) =>
        alert.GetProperty("detail") is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;

    private static string[] Codes(JsonElement receipt, string list) => [.. receipt.GetProperty(list).EnumerateArray().Select(e => e.GetString()!)];

    private static string Serial(string url) => DigitalLink.Parse(url).Serial!;

    private static string TagPath(string url, string leaf)
    {
        var link = DigitalLink.Parse(url);
        return $"/api/tags/{link.Gtin!.Value.Value}/{link.Serial}/{leaf}";
    }

    private static string Forge(string url) => ForgedCode.WithAlteredMac(url);
}
