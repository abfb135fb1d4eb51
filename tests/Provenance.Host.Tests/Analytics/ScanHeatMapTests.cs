using System.Net;
using System.Text.Json;
using Provenance.Core.Codes;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Analytics;

/// <summary>Issue 22, analytics: the producer's scan heat map and dealer ranking through the HTTP API.</summary>
[Collection(AnalyticsNodeFixture.Collection)]
public sealed class ScanHeatMapTests(AnalyticsNodeFixture f)
{
    [Fact]
    public async Task The_heat_map_counts_consumer_scans_per_day_and_cell_and_leaves_out_groups_below_the_minimum()
    {
        using var response = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, "/api/analytics/scans.geojson?tz=Asia/Shanghai", f.ProducerKey);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        var map = JsonDocument.Parse(text).RootElement;
        Assert.Equal("FeatureCollection", map.GetProperty("type").GetString());
        Assert.Equal("Asia/Shanghai", map.GetProperty("timeZone").GetString());
        var feature = Assert.Single(map.GetProperty("features").EnumerateArray());
        var properties = feature.GetProperty("properties");
        Assert.Equal(AnalyticsNodeFixture.GuangzhouScans, properties.GetProperty("scans").GetInt32());
        Assert.Equal(AnalyticsNodeFixture.GuangzhouScans, properties.GetProperty("verdicts").GetProperty("not_sealed").GetInt32());
        Assert.Equal(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), properties.GetProperty("day").GetString());

        // The Guangzhou cell of 0.5°: 23.0–23.5 N, 113.0–113.5 E, as a closed ring, longitude first.
        var ring = feature.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
        Assert.Equal([(113.0, 23.0), (113.5, 23.0), (113.5, 23.5), (113.0, 23.5), (113.0, 23.0)], ring);

        // Chengdu's three scans are fewer than the minimum group size; the warehouse receipt is not a consumer scan.
        Assert.Equal(AnalyticsNodeFixture.ChengduScans, map.GetProperty("suppressedScans").GetInt32());
        Assert.Equal(AnalyticsNodeFixture.GuangzhouScans, map.GetProperty("shownScans").GetInt32());
        foreach (var bottle in f.Bottles)
        {
            Assert.DoesNotContain(DigitalLink.Parse(bottle).Serial!, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("198.51.100", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_period_without_scans_or_another_product_shows_nothing()
    {
        var empty = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/analytics/scans.geojson?from=2025-01-01&to=2025-01-31", f.ProducerKey);
        Assert.Equal(0, empty.GetProperty("features").GetArrayLength());
        Assert.Equal(0, empty.GetProperty("suppressedScans").GetInt32());

        var otherProduct = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/analytics/scans.geojson?gtin=09506000134376", f.ProducerKey);
        Assert.Equal(0, otherProduct.GetProperty("shownScans").GetInt32());
    }

    [Theory]
    [InlineData("?tz=Mars/Olympus", "tz")]
    [InlineData("?from=2026-13-01", "yyyy-MM-dd")]
    [InlineData("?from=2026-11-30&to=2026-11-01", "from must not be after to")]
    [InlineData("?from=2025-01-01&to=2026-01-01", "at most 92 days")]
    [InlineData("?gtin=123", "gtin")]
    public async Task Bad_parameters_get_a_400_that_names_what_to_fix(string query, string expected)
    {
        using var response = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, "/api/analytics/scans.geojson" + query, f.ProducerKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dealers_are_ranked_by_the_alerts_raised_against_their_stock_for_the_producer_only()
    {
        var report = await ApiCalls.JsonAsync(f.Node, HttpMethod.Get, "/api/analytics/dealers", f.ProducerKey);

        var dealer = Assert.Single(report.GetProperty("dealers").EnumerateArray());
        Assert.Equal(AnalyticsNodeFixture.Owner, dealer.GetProperty("distributorId").GetString());
        Assert.Equal("Guangzhou Wine Trading", dealer.GetProperty("name").GetString());
        Assert.Equal(1, dealer.GetProperty("total").GetInt32());
        Assert.Equal(1, dealer.GetProperty("byKind").GetProperty("receipt_mismatch").GetInt32());

        using var asDistributor = await ApiCalls.SendAsync(f.Node, HttpMethod.Get, "/api/analytics/dealers", f.OwnerKey);
        Assert.Equal(HttpStatusCode.Forbidden, asDistributor.StatusCode);
    }
}
