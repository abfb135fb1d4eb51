using System.Net;
using Provenance.Host.Tests.Support;
using static Provenance.Host.Tests.Custody.CustodyCalls;

namespace Provenance.Host.Tests.Custody;

/// <summary>
/// The dealer tree and a bottle's custody chain through the HTTP API: a distributor manages its own sub-dealers only,
/// custody moves only from the dealer that holds a bottle to its own child, and the chain is visible to the producer
/// and the dealers on it; every other dealer gets 404, as if nothing existed.
/// </summary>
[Collection(CustodyCollection.Name)]
public sealed class CustodyChainTests(CustodyNodeFixture f)
{
    private readonly CustodyCalls _calls = new(f);

    [Fact]
    public async Task A_bottles_custody_chain_is_visible_to_the_producer_and_the_dealers_on_it_and_to_no_other_dealer()
    {
        var keyA = await _calls.DistributorAsync("ch-a", Guangdong);
        var keyB = await _calls.DistributorAsync("ch-b", Guangdong);
        var sub = await _calls.DealerAsync(keyA, "ch-a-sub", "ch-a", "sub_distributor", Guangdong);
        var shop = await _calls.DealerAsync(sub, "ch-a-shop", "ch-a-sub", "retailer", Guangzhou);
        var sibling = await _calls.DealerAsync(keyA, "ch-a-shop2", "ch-a", "retailer", Guangzhou);
        var otherShop = await _calls.DealerAsync(keyB, "ch-b-shop", "ch-b", "retailer", Guangzhou);
        var bottle = f.Sealed[4];
        await _calls.ShipAsync("ch-a", bottle);
        await _calls.ScanInAsync(keyA, GuangzhouLat, GuangzhouLon, bottle);
        await _calls.ScanOutAsync(keyA, "ch-a-sub", GuangzhouLat, GuangzhouLon, bottle);
        await _calls.ScanInAsync(sub, GuangzhouLat, GuangzhouLon, bottle);
        await _calls.ScanOutAsync(sub, "ch-a-shop", GuangzhouLat, GuangzhouLon, bottle);
        var received = await _calls.ScanInAsync(shop, GuangzhouLat, GuangzhouLon, bottle);

        Assert.Empty(received.GetProperty("notAddressedToYou").EnumerateArray());
        Assert.False(received.GetProperty("placeOutsideYourRegion").GetBoolean());
        var path = TagPath(bottle, "custody");
        var chain = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, path, f.ProducerKey);
        Assert.Equal(["in ch-a", "out ch-a ch-a-sub", "in ch-a-sub", "out ch-a-sub ch-a-shop", "in ch-a-shop"],
            chain.GetProperty("links").EnumerateArray().Select(l => $"{l.GetProperty("action").GetString()} {l.GetProperty("dealerId").GetString()} {l.GetProperty("to").GetString()}".Trim()));
        Assert.Equal("ch-a", chain.GetProperty("shippedTo").GetString());
        Assert.Equal("ch-a-shop", chain.GetProperty("holder").GetString());
        foreach (var onChain in new[] { keyA, sub, shop })
        {
            Assert.Equal(chain.GetProperty("links").GetRawText(), (await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, path, onChain)).GetProperty("links").GetRawText());
        }

        foreach (var offChain in new[] { keyB, sibling, otherShop })
        {
            using var refused = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, path, offChain);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        Assert.DoesNotContain(await _calls.AlertsAsync(keyA), a => a.GetProperty("kind").GetString() == "diverted");
    }

    [Fact]
    public async Task A_dealer_reaches_only_its_own_branch_and_moves_only_bottles_it_holds_to_its_own_children()
    {
        var keyA = await _calls.DistributorAsync("br-a", Guangdong);
        var keyB = await _calls.DistributorAsync("br-b", Sichuan);
        var shopA = await _calls.DealerAsync(keyA, "br-a-shop", "br-a", "retailer", Guangzhou);
        await _calls.DealerAsync(f.ProducerKey, "br-b-shop", "br-b", "retailer", Chengdu);
        await _calls.ShipAsync("br-a", f.Sealed[10]);
        await _calls.ShipAsync("br-b", f.Sealed[11]);

        var reads = new Dictionary<string, HttpStatusCode>();
        foreach (var (who, key, path) in new[]
        {
            ("A reads its retailer", keyA, "/api/dealers/br-a-shop"),
            ("A reads B's retailer", keyA, "/api/dealers/br-b-shop"),
            ("B reads A", keyB, "/api/dealers/br-a"),
            ("A's retailer reads A", shopA, "/api/dealers/br-a"),
            ("A's retailer reads itself", shopA, "/api/dealers/br-a-shop"),
            ("B reads A's children", keyB, "/api/dealers/br-a/children"),
            ("B reads A's report", keyB, "/api/dealers/br-a/report"),
            ("A's retailer reads A's alerts feed", shopA, "/api/alerts"),
        })
        {
            using var response = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, path, key);
            reads[who] = response.StatusCode;
        }

        using var underOther = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/dealers", keyA, new { id = "br-x", name = "x", parentId = "br-b", level = "retailer", region = Guangzhou });
        using var byRetailer = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/dealers", shopA, new { id = "br-y", name = "y", parentId = "br-a-shop", level = "retailer", region = Guangzhou });
        using var toOthersChild = await ApiCalls.SendAsync(f.Node, HttpMethod.Post, FormattableString.Invariant($"/api/custody/scan-out?lat={GuangzhouLat}&lon={GuangzhouLon}"), keyA,
            new { codes = new[] { f.Sealed[10] }, to = "br-b-shop" });
        var notHeld = await _calls.ScanOutAsync(keyA, "br-a-shop", GuangzhouLat, GuangzhouLon, f.Sealed[11]);
        var children = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/dealers/br-a/children", keyA);

        Assert.Equal(HttpStatusCode.OK, reads["A reads its retailer"]);
        Assert.Equal(HttpStatusCode.NotFound, reads["A reads B's retailer"]);
        Assert.Equal(HttpStatusCode.NotFound, reads["B reads A"]);
        Assert.Equal(HttpStatusCode.NotFound, reads["A's retailer reads A"]);
        Assert.Equal(HttpStatusCode.OK, reads["A's retailer reads itself"]);
        Assert.Equal(HttpStatusCode.NotFound, reads["B reads A's children"]);
        Assert.Equal(HttpStatusCode.NotFound, reads["B reads A's report"]);
        Assert.Equal(HttpStatusCode.Forbidden, reads["A's retailer reads A's alerts feed"]);
        Assert.Equal(HttpStatusCode.NotFound, underOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byRetailer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, toOthersChild.StatusCode);
        Assert.Equal([f.Sealed[11]], notHeld.GetProperty("notInYourCustody").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["br-a-shop"], children.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        using var chainOfB = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, TagPath(f.Sealed[11], "custody"), keyA);
        Assert.Equal(HttpStatusCode.NotFound, chainOfB.StatusCode);
    }
}
