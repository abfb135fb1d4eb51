using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>The OpenAPI document lists every API route, on the management listener.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task The_openapi_document_on_the_management_listener_lists_every_distribution_producer_key_and_alert_route()
    {
        await using var node = new ProvenanceNode();
        await node.StartAsync();

        var doc = JsonDocument.Parse(await node.Management.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        string[] expected =
        [
            "/api/distributors", "/api/distributors/{id}", "/api/distributors/{id}/shipments", "/api/cases", "/api/shipments", "/api/shipments/{id}",
            "/api/receipts", "/api/containers", "/api/containers/unpack", "/api/tags/{gtin}/{serial}/distributor", "/api/recalls", "/api/voids", "/api/opened", "/api/tags/{gtin}/{serial}/scans", "/api/alerts", "/api/keys", "/api/keys/{id}/revoke", "/api/keys/{id}/rotate", "/health",
            "/api/campaigns", "/api/campaigns/{id}", "/api/campaigns/{id}/redemptions", "/api/campaigns/{id}/redemptions/{redemptionId}",
            "/api/campaigns/{id}/redemptions/{redemptionId}/approve", "/api/campaigns/{id}/redemptions/{redemptionId}/reject", "/rewards/redeem",
        ];
        Assert.All(expected, p => Assert.Contains(p, paths));
    }

    [Fact]
    public async Task The_openapi_document_says_how_to_authenticate_what_401_and_403_mean_and_where_a_receipt_is_taken()
    {
        await using var node = new ProvenanceNode();
        await node.StartAsync();

        var doc = JsonDocument.Parse(await node.Management.GetStringAsync("/openapi/v1.json")).RootElement;
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        var receipt = doc.GetProperty("paths").GetProperty("/api/receipts").GetProperty("post");
        var alerts = doc.GetProperty("paths").GetProperty("/api/alerts").GetProperty("get");
        var scan = doc.GetProperty("paths").EnumerateObject().First(p => p.Name.StartsWith("/01/", StringComparison.Ordinal)).Value.EnumerateObject().First().Value;

        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        foreach (var operation in new[] { receipt, alerts })
        {
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _));
            Assert.True(operation.GetProperty("responses").TryGetProperty("403", out _));
            Assert.NotEmpty(operation.GetProperty("security").EnumerateArray());
        }

        Assert.False(scan.TryGetProperty("security", out _));
        Assert.False(scan.GetProperty("responses").TryGetProperty("401", out _));
        var receiptParameters = receipt.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["lat", "lon", "acc", "country"], receiptParameters);
        Assert.Contains("distributorId", alerts.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }
}
