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
            "/api/receipts", "/api/recalls", "/api/voids", "/api/opened", "/api/tags/{gtin}/{serial}/scans", "/api/alerts", "/api/keys", "/api/keys/{id}/revoke", "/api/keys/{id}/rotate", "/health",
        ];
        Assert.All(expected, p => Assert.Contains(p, paths));
    }
}
