using System.Net;
using System.Text.Json;
using Provenance.Host.Tests.Support;
using static Provenance.Host.Tests.Custody.CustodyCalls;

namespace Provenance.Host.Tests.Custody;

/// <summary>
/// Retailer case-opening rebates (门店开箱) through the HTTP API: a case earns its rebate once, under concurrent
/// requests too, emitted once as a signed webhook; a case the retailer does not hold earns nothing and says why.
/// </summary>
[Collection(CustodyCollection.Name)]
public sealed class CaseRebateTests(CustodyNodeFixture f)
{
    private readonly CustodyCalls _calls = new(f);

    [Fact]
    public async Task A_retailer_opening_a_case_in_its_custody_earns_the_rebate_once_under_concurrent_requests_and_it_is_pushed_once_as_a_signed_webhook()
    {
        var key = await _calls.DistributorAsync("rb-a", Guangdong);
        var shop = await _calls.DealerAsync(key, "rb-a-shop", "rb-a", "retailer", Guangzhou);
        var other = await _calls.DealerAsync(key, "rb-a-other", "rb-a", "retailer", Guangzhou);
        var caseUri = await _calls.CaseAsync(f.Sealed[5], f.Sealed[6]);
        await _calls.ShipAsync("rb-a", caseUri: caseUri);
        await _calls.ScanInAsync(key, GuangzhouLat, GuangzhouLon, caseUri);
        await _calls.ScanOutAsync(key, "rb-a-shop", GuangzhouLat, GuangzhouLon, caseUri);
        using var inTransit = await OpenAsync(shop, caseUri);
        var inTransitText = await inTransit.Content.ReadAsStringAsync();
        using var byDistributor = await OpenAsync(key, caseUri);
        await _calls.ScanInAsync(shop, GuangzhouLat, GuangzhouLon, caseUri);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await OpenAsync(shop, caseUri);
            return (response.StatusCode, Body: JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }));
        using var byOtherRetailer = await OpenAsync(other, caseUri);
        var otherText = await byOtherRetailer.Content.ReadAsStringAsync();
        await _calls.FlushWebhookAsync(key, f.Sealed[18]);

        Assert.Equal(HttpStatusCode.Conflict, inTransit.StatusCode);
        Assert.Contains("not_in_your_custody", inTransitText, StringComparison.Ordinal);
        Assert.Contains("scan it in first", inTransitText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byDistributor.StatusCode);
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.OK, a.StatusCode);
            Assert.Equal("already_earned", a.Body.GetProperty("status").GetString());
        });
        Assert.Single(answers.Select(a => a.Body.GetProperty("rebateAlertId").GetInt64()).Distinct());
        var earned = answers.Single(a => a.StatusCode == HttpStatusCode.Created).Body;
        Assert.Equal("earned", earned.GetProperty("status").GetString());
        Assert.Equal("10.00", earned.GetProperty("amount").GetString());
        Assert.Equal("CNY", earned.GetProperty("currency").GetString());
        Assert.Equal(2, earned.GetProperty("bottles").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, byOtherRetailer.StatusCode);
        Assert.Contains("not_in_your_custody", otherText, StringComparison.Ordinal);
        var caseCode = new Uri(caseUri).AbsolutePath;
        var pushed = f.Webhook.Received.Where(r => r.Alert.GetProperty("kind").GetString() == "case_opening_rebate"
            && r.Alert.GetProperty("detail").GetProperty("case").GetString() == caseCode).ToList();
        var (signed, rebate) = Assert.Single(pushed);
        Assert.True(signed, "the webhook signature does not verify");
        Assert.Equal(earned.GetProperty("rebateAlertId").GetInt64(), rebate.GetProperty("id").GetInt64());
        Assert.Equal($"case-rebate:{caseCode}", rebate.GetProperty("detail").GetProperty("idempotencyKey").GetString());
        Assert.Equal("rb-a-shop", rebate.GetProperty("detail").GetProperty("retailer").GetString());
        Assert.Equal(1, (await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/dealers/rb-a-shop/report", key)).GetProperty("caseRebates").GetInt64());
    }

    private Task<HttpResponseMessage> OpenAsync(string key, string caseUri) =>
        ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/custody/case-openings", key, new { @case = caseUri });
}
