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

    /// <summary>Machine-readable reason codes, most decisive first (see <c>VerdictReasons</c>).</summary>
    [JsonPropertyName("reasons")] public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The key of the human sentence, e.g. <c>verdict.suspect_clone.impossible_travel</c>, for translated pages.</summary>
    [JsonPropertyName("messageKey")] public string? MessageKey { get; init; }

    /// <summary>How far the location used can be trusted: high, medium, low or none.</summary>
    [JsonPropertyName("confidence")] public string Confidence { get; init; } = "none";

    /// <summary>Where this scan's location came from: browser, ip, distributor or none.</summary>
    [JsonPropertyName("locationSource")] public string LocationSource { get; init; } = "none";

    /// <summary>
    /// How well the bottle's origin was confirmed by its gateway's satellite fix: high (attested), medium (not
    /// attested for a benign cause: no or an old fix, poor geometry, too few or no BeiDou satellites), low (not attested
    /// and the position itself is in doubt), none (never sealed).
    /// </summary>
    [JsonPropertyName("originConfidence")] public string OriginConfidence { get; init; } = "none";

    [JsonPropertyName("history")] public ScanHistoryInfo? History { get; init; }

    [JsonPropertyName("openedAt")] public DateTimeOffset? OpenedAt { get; init; }

    [JsonPropertyName("recall")] public RecallInfo? Recall { get; init; }

    [JsonPropertyName("shipment")] public ShipmentInfo? Shipment { get; init; }

    /// <summary>What the NFC cap said, when the scan was a tap of one.</summary>
    [JsonPropertyName("cap")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CapInfo? Cap { get; init; }

    /// <summary>What the scan of an inner (under-cap) code found: whether it opened the bottle, or when and roughly where it was first opened.</summary>
    [JsonPropertyName("innerCode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InnerCodeInfo? InnerCode { get; init; }
}

/// <summary>
/// A scan of the bottle's inner code: <c>firstScan</c> true when this scan opened the bottle; otherwise the opening it
/// found (<c>openedAt</c>, server time, and <c>openedPlace</c>, coarse) and how often the code has been scanned.
/// </summary>
public sealed record InnerCodeInfo(
    [property: JsonPropertyName("firstScan")] bool FirstScan,
    [property: JsonPropertyName("openedAt")] DateTimeOffset OpenedAt,
    [property: JsonPropertyName("openedPlace")] PlaceInfo? OpenedPlace,
    [property: JsonPropertyName("scans")] int Scans);

/// <summary>
/// An NFC cap's tap: the tamper loop (<c>closed</c>, <c>was_opened</c>, <c>open</c>, <c>not_initialised</c>,
/// <c>unreadable</c> or <c>absent</c>) and the chip's read counter in this message.
/// </summary>
public sealed record CapInfo(
    [property: JsonPropertyName("tamper")] string Tamper,
    [property: JsonPropertyName("readCounter")] int ReadCounter);

/// <summary>"This code has been scanned <c>count</c> times, first on <c>firstAt</c> in <c>firstPlace</c>".</summary>
public sealed record ScanHistoryInfo(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("firstAt")] DateTimeOffset FirstAt,
    [property: JsonPropertyName("firstPlace")] PlaceInfo? FirstPlace);

/// <summary>A coarse place: rounded coordinates (about 1 km) and/or an ISO country code.</summary>
public sealed record PlaceInfo(
    [property: JsonPropertyName("lat")] double? Lat,
    [property: JsonPropertyName("lon")] double? Lon,
    [property: JsonPropertyName("country")] string? Country);

public sealed record RecallInfo(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("scope")] string Scope);

/// <summary>The shipment that allocated the bottle. The distributor's id is shown only to authenticated callers.</summary>
public sealed record ShipmentInfo(
    [property: JsonPropertyName("distributorId")] string? DistributorId,
    [property: JsonPropertyName("region")] IReadOnlyList<string> Region);

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
    [property: JsonPropertyName("attestation")] OriginAttestation? Attestation)
{
    /// <summary>When the sealing fix lay outside the plant's geofence: how far beyond its edge, in metres.</summary>
    [JsonPropertyName("metresOutsideGeofence")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MetresOutsideGeofence { get; init; }
}

/// <summary>
/// Where the seal is on the installation's ledger: embedded (index, hash) or fabric (transaction id, block number);
/// <see cref="Status"/> is <c>pending</c> until that ledger has recorded it.
/// </summary>
public sealed record LedgerProof(
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("index")] long? Index,
    [property: JsonPropertyName("hash")] string? Hash)
{
    /// <summary>The ledger has recorded the seal.</summary>
    public const string Recorded = "recorded";

    /// <summary>The seal is not on the ledger yet.</summary>
    public const string Pending = "pending";

    /// <summary><c>recorded</c> or <c>pending</c>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = Recorded;

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
