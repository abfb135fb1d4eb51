using System.Text.Json.Serialization;
using Provenance.Core.Origin;

namespace Provenance.Api;

/// <summary>The JSON answer of a scan: the verdict, why, and the facts behind it.</summary>
public sealed record ScanResult
{
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("code")] public ScannedCode? Code { get; init; }
    [JsonPropertyName("product")] public ProductInfo? Product { get; init; }
    [JsonPropertyName("origin")] public OriginInfo? Origin { get; init; }
    [JsonPropertyName("ledger")] public LedgerProof? Ledger { get; init; }
    [JsonPropertyName("scannedAt")] public required DateTimeOffset ScannedAt { get; init; }
}

public sealed record ScannedCode(
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("lot")] string? Lot);

public sealed record ProductInfo(
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("brand")] string? Brand);

public sealed record OriginInfo(
    [property: JsonPropertyName("siteId")] string SiteId,
    [property: JsonPropertyName("siteName")] string? SiteName,
    [property: JsonPropertyName("gatewayId")] string GatewayId,
    [property: JsonPropertyName("line")] string Line,
    [property: JsonPropertyName("sealedAt")] DateTimeOffset SealedAt,
    [property: JsonPropertyName("sealType")] string SealType,
    [property: JsonPropertyName("attestation")] OriginAttestation? Attestation);

/// <summary>Where the seal is on the ledger: embedded (index, hash) or fabric (transaction id, block number).</summary>
public sealed record LedgerProof(
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("index")] long? Index,
    [property: JsonPropertyName("hash")] string? Hash)
{
    /// <summary>The Fabric transaction that recorded the seal (engine <c>fabric</c>).</summary>
    [JsonPropertyName("txId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TxId { get; init; }

    /// <summary>The Fabric block of that transaction (engine <c>fabric</c>).</summary>
    [JsonPropertyName("blockNumber")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BlockNumber { get; init; }
}

[JsonSerializable(typeof(ScanResult))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
