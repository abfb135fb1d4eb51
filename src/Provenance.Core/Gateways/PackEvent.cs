using System.Text.Json.Serialization;

namespace Provenance.Core.Gateways;

/// <summary>
/// One container closed at a line: <see cref="Container"/> (its code: SSCC or GTIN + serial, as a Digital Link URI or a
/// GS1 element string) at <see cref="Level"/> (<c>box</c>, <c>case</c>, <c>pallet</c>) now holds the
/// <see cref="Bottles"/> (tags as printed: Digital Link URIs with their MAC) and the lower-level
/// <see cref="Containers"/>. <see cref="Sequence"/> shares the gateway's numbering with its seal events.
/// </summary>
public sealed record PackEvent
{
    [JsonPropertyName("eventId")] public required string EventId { get; init; }
    [JsonPropertyName("line")] public required string Line { get; init; }
    [JsonPropertyName("packedAt")] public required DateTimeOffset PackedAt { get; init; }
    [JsonPropertyName("level")] public required string Level { get; init; }
    [JsonPropertyName("container")] public required string Container { get; init; }
    [JsonPropertyName("bottles")] public IReadOnlyList<string> Bottles { get; init; } = [];
    [JsonPropertyName("containers")] public IReadOnlyList<string> Containers { get; init; } = [];
    [JsonPropertyName("seq")] public required long Sequence { get; init; }
}
