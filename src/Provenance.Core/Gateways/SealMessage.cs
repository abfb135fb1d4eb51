using System.Text.Json.Serialization;

namespace Provenance.Core.Gateways;

/// <summary>The payload of a <c>seal</c> message: one or more seal events from one gateway.</summary>
public sealed record SealMessage
{
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    [JsonPropertyName("site")] public required string SiteId { get; init; }
    [JsonPropertyName("gateway")] public required string GatewayId { get; init; }
    [JsonPropertyName("sentAt")] public required DateTimeOffset SentAt { get; init; }
    [JsonPropertyName("events")] public required IReadOnlyList<SealEvent> Events { get; init; }
}
