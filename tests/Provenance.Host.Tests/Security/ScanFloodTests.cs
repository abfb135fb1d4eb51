using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Provenance.Host.Tests.Boundary;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>Flooding one bottle's code cannot deny it to anyone else: the flooder is limited, everyone else still gets the verdict.</summary>
public sealed class ScanFloodTests
{
    [Fact]
    public async Task Clients_flooding_one_code_get_429_while_a_consumer_elsewhere_still_gets_its_verdict_from_the_code_budget_or_its_cache()
    {
        await using var node = await InProcessNode.StartAsync(new Dictionary<string, string?>
        {
            ["Api:KnownProxies:0"] = "127.0.0.1",
            ["Api:ScansPerCodePerMinute"] = "30",
            ["Api:ScansPerCodePerClientPerMinute"] = "12",
        });
        var (_, admin) = node.CreateKey("admin");
        using var client = node.ClientWithKey(admin);
        await BoundaryNode.PostAsync(client, "/api/products", new { gtin = BoundaryNode.Gtin, name = "Baijiu", brand = "Example" });
        var batch = await BoundaryNode.PostAsync(client, "/api/batches", new { gtin = BoundaryNode.Gtin, lot = "F1", count = 1 });
        var csv = await client.GetStringAsync($"/api/batches/{batch.GetProperty("batchId").GetInt64()}/labels.csv");
        var path = RouteRoleMatrix.ScanPath(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(',')[0]);

        var attackers = new[] { "198.51.100.66", "198.51.100.67", "198.51.100.68" };
        var statuses = new List<HttpStatusCode>();
        foreach (var attacker in attackers)
        {
            for (var i = 0; i < 20; i++)
            {
                statuses.Add((await ScanAsync(node, path, attacker)).Status);
            }
        }

        var consumer = await ScanAsync(node, path, "203.0.113.5");

        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 40, string.Join(",", statuses));
        Assert.Equal(HttpStatusCode.OK, consumer.Status);
        Assert.Equal("not_sealed", consumer.Verdict);
        var metrics = await node.Management.GetStringAsync("/metrics");
        Assert.Matches(@"provenance_scans_cached_total(\{\})? [1-9]", metrics);
        Assert.Matches(@"provenance_http_requests_limited_total\{limit=""scan""\} [1-9]", metrics);
    }

    private static async Task<(HttpStatusCode Status, string? Verdict)> ScanAsync(InProcessNode node, string path, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", client);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await node.Http.SendAsync(request);
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("verdict").GetString() : null);
    }
}
