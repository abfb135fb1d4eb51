using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>The OpenAPI document lists every API route.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task The_openapi_document_lists_every_distribution_producer_and_alert_route()
    {
        await using var node = new ProvenanceNode();
        await node.StartAsync();

        var doc = JsonDocument.Parse(await node.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        string[] expected =
        [
            "/api/distributors", "/api/distributors/{id}", "/api/distributors/{id}/shipments", "/api/cases", "/api/shipments", "/api/shipments/{id}",
            "/api/receipts", "/api/recalls", "/api/voids", "/api/opened", "/api/tags/{gtin}/{serial}/scans", "/api/alerts", "/health",
        ];
        Assert.All(expected, p => Assert.Contains(p, paths));
    }
}
