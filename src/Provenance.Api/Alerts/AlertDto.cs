using System.Text.Json;
using System.Text.Json.Serialization;
using Provenance.Storage;

namespace Provenance.Api.Alerts;

/// <summary>An alert on the wire (feed and webhook).</summary>
public sealed record AlertDto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("gtin")] string? Gtin,
    [property: JsonPropertyName("serial")] string? Serial,
    [property: JsonPropertyName("distributorId")] string? DistributorId,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("detail")] JsonElement Detail)
{
    public static AlertDto From(StoredAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var detail = JsonDocument.Parse(alert.DetailJson);
        return new AlertDto(alert.Id, alert.Kind, alert.Gtin, alert.Serial, alert.DistributorId, alert.CreatedAt, detail.RootElement.Clone());
    }
}

/// <summary>A page of the alert feed and the cursor of the next page (null at the end).</summary>
public sealed record AlertPage(
    [property: JsonPropertyName("items")] IReadOnlyList<AlertDto> Items,
    [property: JsonPropertyName("next")] string? Next);
