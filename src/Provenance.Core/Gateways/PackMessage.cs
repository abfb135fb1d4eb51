using System.Text.Json.Serialization;

namespace Provenance.Core.Gateways;

/// <summary>The payload of a <c>pack</c> message: one or more containers closed at one gateway's line.</summary>
public sealed record PackMessage
{
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    [JsonPropertyName("site")] public required string SiteId { get; init; }
    [JsonPropertyName("gateway")] public required string GatewayId { get; init; }
    [JsonPropertyName("sentAt")] public required DateTimeOffset SentAt { get; init; }
    [JsonPropertyName("packs")] public required IReadOnlyList<PackEvent> Packs { get; init; }
}
