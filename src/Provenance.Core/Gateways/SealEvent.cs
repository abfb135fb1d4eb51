using System.Text.Json.Serialization;

namespace Provenance.Core.Gateways;

/// <summary>
/// One bottle sealed at a line. <see cref="Tag"/> is the code on the bottle: a GS1 Digital Link URI (as printed,
/// with its MAC) or a GS1 element string <c>01{gtin14}21{serial}</c>. <see cref="Sequence"/> increases by one per
/// event on each gateway.
/// </summary>
public sealed record SealEvent
{
    [JsonPropertyName("eventId")] public required string EventId { get; init; }
    [JsonPropertyName("tag")] public required string Tag { get; init; }
    [JsonPropertyName("line")] public required string Line { get; init; }
    [JsonPropertyName("sealedAt")] public required DateTimeOffset SealedAt { get; init; }
    [JsonPropertyName("sealType")] public required string SealType { get; init; }
    [JsonPropertyName("nfcUid")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? NfcUid { get; init; }
    [JsonPropertyName("seq")] public required long Sequence { get; init; }
}
