using System.Net;
using Provenance.Host.Tests.Support;
using Provenance.Host.Tests.Verdicts;

namespace Provenance.Host.Tests.Security;

/// <summary>Broken object-level authorisation: each distributor endpoint tried with another distributor's key and ids.</summary>
public sealed class DistributorIsolationTests(SealedNodeFixture f) : IClassFixture<SealedNodeFixture>
{
    [Fact]
    public async Task A_distributor_key_never_reads_another_distributors_data()
    {
        var region = new { iso = new[] { "CN" } };
        var a = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/distributors", f.ProducerKey, new { id = "iso-a", name = "Alpha Trading", region });
        var b = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/distributors", f.ProducerKey, new { id = "iso-b", name = "Beta Trading", region });
        var shipment = await ApiCalls.JsonAsync(f.Node, HttpMethod.Post, "/api/shipments", f.ProducerKey, new { distributorId = "iso-a", tags = new[] { f.Sealed[25] } });
        var keyB = b.GetProperty("apiKey").GetString()!;
        using (await ApiCalls.SendAsync(f.Node, HttpMethod.Post, "/api/receipts?country=US", a.GetProperty("apiKey").GetString(), content: new StringContent(f.Sealed[25])))
        {
        }

        foreach (var path in new[] { "/api/distributors/iso-a", "/api/distributors/iso-a/shipments", $"/api/shipments/{shipment.GetProperty("id").GetInt64()}" })
        {
            using var response = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, path, keyB);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Alpha", text, StringComparison.Ordinal);
        }

        var alerts = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/alerts", keyB);
        Assert.Empty(alerts.GetProperty("items").EnumerateArray());
        var own = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/alerts", a.GetProperty("apiKey").GetString()!);
        Assert.All(own.GetProperty("items").EnumerateArray(), i => Assert.Equal("iso-a", i.GetProperty("distributorId").GetString()));
        Assert.NotEmpty(own.GetProperty("items").EnumerateArray());
        Assert.Equal("Beta Trading", (await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/distributors/iso-b", keyB)).GetProperty("name").GetString());
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/shipments"), (HttpMethod.Post, "/api/distributors"), (HttpMethod.Post, "/api/recalls"), (HttpMethod.Get, "/api/tags/x/y/scans") })
        {
            using var forbidden = await ApiCalls.SendAsync(f.Node, method, path, keyB, new { distributorId = "iso-b" });
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using var anonymous = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, "/api/alerts", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
