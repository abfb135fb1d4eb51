using System.Text.Json.Serialization;

namespace Provenance.Api.Packaging;

/// <summary>
/// What a public scan of a case or pallet code (<c>/00/{sscc}</c>) tells anyone: what the package is and how many
/// bottles of which products it holds, at every depth. Never the bottles' own codes: those are each bottle's to show.
/// </summary>
public sealed record ContainerScanResult(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("level")] string? Level,
    [property: JsonPropertyName("bottleCount")] long BottleCount,
    [property: JsonPropertyName("contents")] IReadOnlyDictionary<string, int> Contents,
    [property: JsonPropertyName("products")] IReadOnlyList<ContainerProduct> Products)
{
    public const string Known = "known";
    public const string Unknown = "unknown";
}

/// <summary>One product in a container: how many of its bottles are inside.</summary>
public sealed record ContainerProduct(
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("brand")] string? Brand,
    [property: JsonPropertyName("count")] int Count);
