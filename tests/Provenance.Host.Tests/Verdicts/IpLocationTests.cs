using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Verdicts;

/// <summary>
/// Without browser geolocation a scan is located coarsely from the client's IP with the offline MMDB that the set-up
/// installs (deploy/ip-geo, npm); private addresses and scans without a database have no location.
/// </summary>
public sealed class IpLocationTests
{
    private static readonly string Mmdb = Path.Combine(RepositoryPaths.Root, "deploy", "ip-geo", "node_modules", "@ip-location-db", "geo-whois-asn-country-mmdb", "geo-whois-asn-country.mmdb");

    [Fact]
    public async Task A_scan_without_browser_location_is_located_by_country_from_the_offline_database()
    {
        Assert.True(File.Exists(Mmdb), $"{Mmdb} is missing: run 'npm ci' in deploy/ip-geo (./test.sh does it)");
        await using var node = new ProvenanceNode();
        await node.SetUpAsync();
        var (_, urls) = await node.IssueAsync(3);
        await node.StartAsync($"--Geo:MmdbPath={Mmdb}", ProvenanceNode.TrustLoopbackProxy);

        var fromPublic = await ScanFromAsync(node, urls[0], "8.8.8.8");
        var fromPrivate = await ScanFromAsync(node, urls[1], "192.168.1.20");
        var fromBrowser = await ScanFromAsync(node, urls[2] + "&lat=31.23&lon=121.47&acc=30", "8.8.8.8");

        Assert.Equal("ip", fromPublic.GetProperty("locationSource").GetString());
        Assert.Equal("none", fromPrivate.GetProperty("locationSource").GetString());
        Assert.Equal("browser", fromBrowser.GetProperty("locationSource").GetString());
    }

    private static async Task<JsonElement> ScanFromAsync(ProvenanceNode node, string url, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url).PathAndQuery);
        request.Headers.Add("X-Forwarded-For", address);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await node.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
