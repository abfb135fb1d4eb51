using System.Text.Json.Serialization;
using Provenance.Core.Origin;

namespace Provenance.Core.Records;

/// <summary>
/// What the ledger keeps for one sealed bottle: the tag, where and when it was sealed, by which gateway (and that
/// gateway's key fingerprint), and the origin attestation. The gateway's signed message travels beside it.
/// </summary>
public sealed record ProvenanceRecord
{
    [JsonPropertyName("eventId")] public required string EventId { get; init; }
    [JsonPropertyName("gtin")] public required string Gtin { get; init; }
    [JsonPropertyName("serial")] public required string Serial { get; init; }
    [JsonPropertyName("lot")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Lot { get; init; }
    [JsonPropertyName("gatewayId")] public required string GatewayId { get; init; }
    [JsonPropertyName("gatewayKey")] public required string GatewayKeyFingerprint { get; init; }
    [JsonPropertyName("siteId")] public required string SiteId { get; init; }
    [JsonPropertyName("line")] public required string Line { get; init; }
    [JsonPropertyName("sealedAt")] public required DateTimeOffset SealedAt { get; init; }
    [JsonPropertyName("sealType")] public required string SealType { get; init; }
    [JsonPropertyName("nfcUid")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? NfcUid { get; init; }
    [JsonPropertyName("seq")] public required long Sequence { get; init; }
    [JsonPropertyName("attestation")] public required OriginAttestation Attestation { get; init; }
}

/// <summary>Source-generated JSON for records and attestation.</summary>
[JsonSerializable(typeof(ProvenanceRecord))]
[JsonSerializable(typeof(OriginAttestation))]
[JsonSerializable(typeof(GnssFix))]
[JsonSerializable(typeof(List<GnssFix>))]
[JsonSerializable(typeof(AttestationInputs))]
[JsonSerializable(typeof(PackRecord))]
public sealed partial class RecordJsonContext : JsonSerializerContext;
