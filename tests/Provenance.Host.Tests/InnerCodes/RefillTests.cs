using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.InnerCodes;

/// <summary>A bottle whose inner code was scanned, then received by a distributor as stock: a suspected refill, alerted to the producer and the owning distributor.</summary>
[Collection(InnerCodeCollection.Name)]
public sealed class RefillTests(InnerCodeNode n)
{
    [Fact]
    public async Task A_distributor_receipt_after_the_opening_raises_a_suspect_refill_alert_and_the_bottle_scans_as_suspect_refill()
    {
        var (owner, ownerKey) = await CreateDistributorAsync("refill-owner");
        var (_, otherKey) = await CreateDistributorAsync("refill-other");
        await ApiCalls.JsonAsync(n.Node, HttpMethod.Post, "/api/shipments", n.ProducerKey, new { distributorId = owner, tags = new[] { n.Outer[4] } });
        var opened = await n.ScanAsync(n.Inner[4]);

        await ReceiveAsync(ownerKey, n.Outer[4]);

        var serial = DigitalLink.Parse(n.Outer[4]).Serial;
        var alert = Assert.Single(await AlertsAsync(ownerKey, "suspect_refill"), a => a.GetProperty("serial").GetString() == serial);
        Assert.Equal(owner, alert.GetProperty("distributorId").GetString());
        var detail = alert.GetProperty("detail");
        Assert.Equal("in_trade_after_opened", detail.GetProperty("reasons")[0].GetString());
        Assert.Equal("inner_code", detail.GetProperty("openedBy").GetString());
        Assert.Equal(opened.GetProperty("innerCode").GetProperty("openedAt").GetDateTimeOffset(), detail.GetProperty("openedAt").GetDateTimeOffset());
        Assert.Equal(23.1291, detail.GetProperty("place").GetProperty("lat").GetDouble());
        Assert.Contains(await AlertsAsync(n.ProducerKey, "suspect_refill"), a => a.GetProperty("serial").GetString() == serial);
        Assert.DoesNotContain(await AlertsAsync(otherKey, "suspect_refill"), a => a.GetProperty("serial").GetString() == serial);
        await ApiCalls.WaitForScansAsync(n.Node, n.ProducerKey, n.Outer[4], 2);
        var consumer = await n.ScanAsync(n.Outer[4], "198.51.100.30");
        Assert.Equal("suspect_refill", consumer.GetProperty("verdict").GetString());
        Assert.Equal("in_trade_after_opened", ApiCalls.Reasons(consumer)[0]);
    }

    [Fact]
    public async Task A_receipt_before_the_opening_is_the_normal_path_and_raises_no_refill_alert()
    {
        var (owner, ownerKey) = await CreateDistributorAsync("refill-normal");
        await ApiCalls.JsonAsync(n.Node, HttpMethod.Post, "/api/shipments", n.ProducerKey, new { distributorId = owner, tags = new[] { n.Outer[5] } });
        await ReceiveAsync(ownerKey, n.Outer[5]);
        await ApiCalls.WaitForScansAsync(n.Node, n.ProducerKey, n.Outer[5], 1);

        var opened = await n.ScanAsync(n.Inner[5]);
        var outer = await n.ScanAsync(n.Outer[5], "198.51.100.31");

        Assert.Equal("opened", opened.GetProperty("verdict").GetString());
        Assert.Equal("opened", outer.GetProperty("verdict").GetString());
        var serial = DigitalLink.Parse(n.Outer[5]).Serial;
        Assert.DoesNotContain(await AlertsAsync(n.ProducerKey, "suspect_refill"), a => a.GetProperty("serial").GetString() == serial);
    }

    [Fact]
    public async Task An_epcis_receiving_event_captured_after_the_opening_raises_the_same_suspect_refill_alert_as_a_receipt()
    {
        var (owner, ownerKey) = await CreateDistributorAsync("refill-epcis");
        await ApiCalls.JsonAsync(n.Node, HttpMethod.Post, "/api/shipments", n.ProducerKey, new { distributorId = owner, tags = new[] { n.Outer[12] } });
        await n.ScanAsync(n.Inner[12]);
        var serial = DigitalLink.Parse(n.Outer[12]).Serial;
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var document = $$$"""
            {"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"{{{now}}}",
             "epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"{{{now}}}","eventTimeZoneOffset":"+08:00",
               "epcList":["https://id.gs1.org/01/{{{ProvenanceNode.Gtin}}}/21/{{{serial}}}"],"action":"OBSERVE","bizStep":"receiving","disposition":"in_progress",
               "bizLocation":{"id":"geo:23.1291,113.2644"}}]}}
            """;

        using var captured = await ApiCalls.SendAsync(n.Node, HttpMethod.Post, "/epcis/capture", ownerKey, content: new StringContent(document, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, captured.StatusCode);
        var alert = Assert.Single(await AlertsAsync(ownerKey, "suspect_refill"), a => a.GetProperty("serial").GetString() == serial);
        Assert.Equal(owner, alert.GetProperty("distributorId").GetString());
        Assert.Equal("in_trade_after_opened", alert.GetProperty("detail").GetProperty("reasons")[0].GetString());
        Assert.Equal(owner, alert.GetProperty("detail").GetProperty("receiver").GetString());
        Assert.Equal("epcis", alert.GetProperty("detail").GetProperty("place").GetProperty("source").GetString());
        Assert.Contains(await AlertsAsync(n.ProducerKey, "suspect_refill"), a => a.GetProperty("serial").GetString() == serial);
    }

    private Task<(string Id, string Key)> CreateDistributorAsync(string id) => n.CreateDistributorAsync(id);

    private async Task ReceiveAsync(string key, string code)
    {
        using var response = await ApiCalls.SendAsync(n.Node, HttpMethod.Post, "/api/receipts?lat=23.1291&lon=113.2644", key, content: new StringContent(code));
        Assert.True(response.IsSuccessStatusCode, $"receipt: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<List<JsonElement>> AlertsAsync(string key, string kind) =>
        [.. (await ApiCalls.JsonAsync(n.Node, HttpMethod.Get, $"/api/alerts?kind={kind}&limit=1000", key)).GetProperty("items").EnumerateArray()];
}
