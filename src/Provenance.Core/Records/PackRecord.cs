using System.Text.Json.Serialization;

namespace Provenance.Core.Records;

/// <summary>
/// What the journal keeps for one container closed at a line (a gateway's <c>pack</c> event, verified): the container's
/// canonical code and level, its bottles (GTIN + serial) and child containers, where,
/// when and by which gateway (and that gateway's key fingerprint). The gateway's signed message travels beside it.
/// </summary>
public sealed record PackRecord
{
    [JsonPropertyName("eventId")] public required string EventId { get; init; }
    [JsonPropertyName("gatewayId")] public required string GatewayId { get; init; }
    [JsonPropertyName("gatewayKey")] public required string GatewayKeyFingerprint { get; init; }
    [JsonPropertyName("siteId")] public required string SiteId { get; init; }
    [JsonPropertyName("line")] public required string Line { get; init; }
    [JsonPropertyName("packedAt")] public required DateTimeOffset PackedAt { get; init; }
    [JsonPropertyName("level")] public required string Level { get; init; }
    [JsonPropertyName("container")] public required string Container { get; init; }
    [JsonPropertyName("bottles")] public required IReadOnlyList<PackedBottle> Bottles { get; init; }
    [JsonPropertyName("containers")] public required IReadOnlyList<string> Containers { get; init; }
    [JsonPropertyName("seq")] public required long Sequence { get; init; }
}

/// <summary>A bottle named by a <see cref="PackRecord"/>.</summary>
public sealed record PackedBottle(
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("serial")] string Serial);
