using System.Net;
using System.Text.Json;
using Provenance.Host.Tests.Support;
using static Provenance.Host.Tests.Custody.CustodyCalls;

namespace Provenance.Host.Tests.Custody;

/// <summary>
/// Diversion scored on the chain of custody (issue 22, acceptance 2 and 3), through the HTTP API of a node whose bottles
/// were sealed over MQTT, with alerts delivered to a signed webhook: a case diverted into another dealer's region names
/// the dealer responsible; a traveller's scan far away alerts no dealer and is kept as weak evidence.
/// </summary>
[Collection(CustodyCollection.Name)]
public sealed class DiversionTests(CustodyNodeFixture f)
{
    private readonly CustodyCalls _calls = new(f);

    [Fact]
    public async Task A_case_shipped_down_one_branch_and_scanned_in_by_a_retailer_in_another_dealers_region_is_a_strong_alert_naming_the_responsible_dealer()
    {
        var (keyA, keyB, retailerB) = await TwoBranchesAsync("dv");
        var caseUri = await _calls.CaseAsync(f.Sealed[0], f.Sealed[1], f.Sealed[2]);
        await _calls.ShipAsync("dv-a", caseUri: caseUri);
        await _calls.ScanInAsync(keyA, GuangzhouLat, GuangzhouLon, caseUri);
        var shipped = await _calls.ScanOutAsync(keyA, "dv-a-shop", GuangzhouLat, GuangzhouLon, caseUri);

        var diverted = await _calls.ScanInAsync(retailerB, ChengduLat, ChengduLon, caseUri);

        Assert.Empty(shipped.GetProperty("notInYourCustody").EnumerateArray());
        Assert.Equal([caseUri], diverted.GetProperty("notAddressedToYou").EnumerateArray().Select(c => c.GetString()));
        var alert = await _calls.WaitForAlertAsync(keyA, a => a.GetProperty("kind").GetString() == "diverted");
        Assert.Equal("dv-a", alert.GetProperty("distributorId").GetString());
        var detail = alert.GetProperty("detail");
        Assert.Equal("strong", detail.GetProperty("grade").GetString());
        Assert.Equal("dv-a", detail.GetProperty("responsibleDealer").GetString());
        Assert.Equal("dv-a", detail.GetProperty("accountableDistributor").GetString());
        Assert.Equal("dv-b-shop", detail.GetProperty("counterparty").GetString());
        Assert.Equal(3, detail.GetProperty("count").GetInt32());
        Assert.Equal(ChengduLat, detail.GetProperty("place").GetProperty("lat").GetDouble());
        Assert.Equal(["dealer_scan_outside_region", "received_by_another_branch"], Kinds(detail.GetProperty("evidence")).Order());
        var (signed, pushed) = await f.Webhook.WaitForAsync(a => a.GetProperty("id").GetInt64() == alert.GetProperty("id").GetInt64());
        Assert.True(signed, "the webhook signature does not verify");
        Assert.Equal("strong", pushed.GetProperty("detail").GetProperty("grade").GetString());
        Assert.Single(await _calls.AlertsAsync(keyA, "diverted"));
        Assert.Empty(await _calls.AlertsAsync(keyB, "diverted"));
        var chain = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[1], "custody"), f.ProducerKey);
        Assert.Equal(["in dv-a", "out dv-a", "in dv-b-shop"], chain.GetProperty("links").EnumerateArray().Select(l => $"{l.GetProperty("action").GetString()} {l.GetProperty("dealerId").GetString()}"));
        Assert.Equal("dv-b-shop", chain.GetProperty("holder").GetString());
        var report = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/dealers/dv-a/report", keyA);
        Assert.Equal(1, report.GetProperty("diversionAlertsByGrade").GetProperty("strong").GetInt64());
        Assert.Equal(3, report.GetProperty("scannedOut").GetInt64());
        Assert.Equal(0, report.GetProperty("holdsNow").GetInt64());
        Assert.Equal(3, (await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/dealers/dv-b-shop/report", retailerB)).GetProperty("holdsNow").GetInt64());
    }

    [Fact]
    public async Task A_traveller_scanning_a_bottle_1500_km_from_its_region_alerts_no_dealer_and_is_kept_as_weak_evidence_for_the_producer()
    {
        var key = await _calls.DistributorAsync("dv-travel", Guangdong);
        var bottle = f.Sealed[3];
        await _calls.ShipAsync("dv-travel", bottle);
        await _calls.ScanInAsync(key, GuangzhouLat, GuangzhouLon, bottle);

        var scan = await ApiCalls.ScanAsync(f.Node, bottle, client: "198.51.100.80", lat: BeijingLat, lon: BeijingLon);
        await _calls.FlushWebhookAsync(key, f.Sealed[19]);

        Assert.Equal("diverted", scan.GetProperty("verdict").GetString());
        var serial = Serial(bottle);
        Assert.DoesNotContain(f.Webhook.Received, r => r.Alert.GetProperty("kind").GetString() == "diverted" && r.Alert.GetProperty("serial").GetString() == serial);
        Assert.DoesNotContain(await _calls.AlertsAsync(key), a => a.GetProperty("kind").GetString() == "diverted");
        Assert.DoesNotContain(await _calls.AlertsAsync(f.ProducerKey, "diverted"), a => a.GetProperty("serial").GetString() == serial);
        var evidence = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, $"/api/diversion/evidence?distributorId=dv-travel", f.ProducerKey);
        var weak = Assert.Single(evidence.EnumerateArray());
        Assert.Equal("weak", weak.GetProperty("grade").GetString());
        Assert.Equal("consumer_scan_outside_region", weak.GetProperty("kind").GetString());
        Assert.Equal(serial, weak.GetProperty("serial").GetString());
        Assert.Equal(BeijingLat, weak.GetProperty("lat").GetDouble(), 1);
        using var asDealer = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, "/api/diversion/evidence", key);
        Assert.Equal(HttpStatusCode.Forbidden, asDealer.StatusCode);
        var producerChain = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(bottle, "custody"), f.ProducerKey);
        Assert.Single(producerChain.GetProperty("weakEvidence").EnumerateArray());
        var dealerChain = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(bottle, "custody"), key);
        Assert.Equal(JsonValueKind.Null, dealerChain.GetProperty("weakEvidence").ValueKind);
    }

    [Fact]
    public async Task Independent_consumer_scans_of_several_bottles_far_from_one_dealers_region_grade_up_to_one_moderate_alert_with_the_evidence()
    {
        var key = await _calls.DistributorAsync("dv-many", Guangdong);
        var bottles = new[] { f.Sealed[7], f.Sealed[8], f.Sealed[9] };
        foreach (var bottle in bottles)
        {
            await _calls.ShipAsync("dv-many", bottle);
        }

        await ApiCalls.ScanAsync(f.Node, bottles[0], client: "198.51.100.91", lat: ChengduLat, lon: ChengduLon);
        await ApiCalls.ScanAsync(f.Node, bottles[1], client: "198.51.100.92", lat: ChengduLat, lon: ChengduLon);
        Assert.DoesNotContain(await _calls.AlertsAsync(key), a => a.GetProperty("kind").GetString() == "diverted");

        await ApiCalls.ScanAsync(f.Node, bottles[2], client: "198.51.100.93", lat: ChengduLat, lon: ChengduLon);
        await ApiCalls.ScanAsync(f.Node, bottles[2], client: "198.51.100.94", lat: ChengduLat, lon: ChengduLon);

        var alerts = (await _calls.AlertsAsync(key, "diverted")).ToList();
        var alert = Assert.Single(alerts);
        var detail = alert.GetProperty("detail");
        Assert.Equal("moderate", detail.GetProperty("grade").GetString());
        Assert.Equal("repeated_consumer_scans_outside_region", detail.GetProperty("reason").GetString());
        Assert.Equal("dv-many", detail.GetProperty("responsibleDealer").GetString());
        Assert.Equal(CustodyNodeFixture.WeakSignalsForModerate, detail.GetProperty("bottles").GetInt32());
        Assert.Equal(3, detail.GetProperty("evidence").GetArrayLength());
        Assert.All(Kinds(detail.GetProperty("evidence")), k => Assert.Equal("consumer_scan_outside_region", k));
    }

    [Fact]
    public async Task Dealer_shipping_and_receiving_captured_as_epcis_events_are_custody_scans_and_a_receipt_in_another_region_names_the_responsible_dealer()
    {
        var (keyA, _, retailerB) = await TwoBranchesAsync("dv-epcis");
        var bottle = f.Sealed[12];
        await _calls.ShipAsync("dv-epcis-a", bottle);
        var party = await PartyUriAsync("dv-epcis-a");
        var epc = $"https://id.gs1.org/01/{ProvenanceNode.Gtin}/21/{Serial(bottle)}";

        var shipped = await CaptureAsync(keyA, Epcis(epc, "shipping", GuangzhouLat, GuangzhouLon, party.Replace("/dv-epcis-a/", "/dv-epcis-a-shop/", StringComparison.Ordinal)));
        var received = await CaptureAsync(retailerB, Epcis(epc, "receiving", ChengduLat, ChengduLon, null));

        Assert.Equal(HttpStatusCode.Accepted, shipped);
        Assert.Equal(HttpStatusCode.Accepted, received);
        var alert = await _calls.WaitForAlertAsync(keyA, a => a.GetProperty("kind").GetString() == "diverted");
        var detail = alert.GetProperty("detail");
        Assert.Equal("strong", detail.GetProperty("grade").GetString());
        Assert.Equal("dv-epcis-a", detail.GetProperty("responsibleDealer").GetString());
        Assert.Equal("epcis", detail.GetProperty("source").GetString());
        Assert.Contains("received_by_another_branch", Kinds(detail.GetProperty("evidence")));
        var chain = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, TagPath(bottle, "custody"), f.ProducerKey);
        Assert.Equal(["out dv-epcis-a epcis", "in dv-epcis-b-shop epcis"],
            chain.GetProperty("links").EnumerateArray().Select(l => $"{l.GetProperty("action").GetString()} {l.GetProperty("dealerId").GetString()} {l.GetProperty("source").GetString()}"));
    }

    /// <summary>Distributor {prefix}-a in Guangdong with retailer {prefix}-a-shop (Guangzhou), distributor {prefix}-b in Sichuan with {prefix}-b-shop (Chengdu).</summary>
    private async Task<(string KeyA, string KeyB, string RetailerB)> TwoBranchesAsync(string prefix)
    {
        var keyA = await _calls.DistributorAsync($"{prefix}-a", Guangdong);
        var keyB = await _calls.DistributorAsync($"{prefix}-b", Sichuan);
        await _calls.DealerAsync(keyA, $"{prefix}-a-shop", $"{prefix}-a", "retailer", Guangzhou);
        return (keyA, keyB, await _calls.DealerAsync(keyB, $"{prefix}-b-shop", $"{prefix}-b", "retailer", Chengdu));
    }

    /// <summary>The owning-party URI the node's EPCIS names give a distributor, read from the producer's shipping event to it.</summary>
    private async Task<string> PartyUriAsync(string distributorId)
    {
        var page = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/epcis/events?EQ_bizStep=shipping", f.ProducerKey);
        return page.GetProperty("epcisBody").GetProperty("queryResults").GetProperty("resultsBody").GetProperty("eventList").EnumerateArray()
            .SelectMany(e => e.TryGetProperty("destinationList", out var d) ? d.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(d => d.GetProperty("destination").GetString()!)
            .First(d => d.EndsWith($"/distributors/{distributorId}/party", StringComparison.Ordinal));
    }

    private async Task<HttpStatusCode> CaptureAsync(string key, string document)
    {
        using var response = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/epcis/capture", key, content: new StringContent(document, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"capture: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode;
    }

    private static string Epcis(string epc, string step, double lat, double lon, string? destination)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var to = destination is null ? string.Empty : $$$""","destinationList":[{"type":"owning_party","destination":"{{{destination}}}"}]""";
        return FormattableString.Invariant($$$"""
            {"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"{{{now}}}",
             "epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"{{{now}}}","eventTimeZoneOffset":"+08:00","epcList":["{{{epc}}}"],"action":"OBSERVE",
               "bizStep":"{{{step}}}","disposition":"in_progress","bizLocation":{"id":"geo:{{{lat}}},{{{lon}}}"}{{{to}}}}]}}
            """);
    }
}
