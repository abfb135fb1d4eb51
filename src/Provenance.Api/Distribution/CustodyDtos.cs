using System.Text.Json.Serialization;

namespace Provenance.Api.Distribution;

/// <summary>Creates a dealer under <see cref="ParentId"/> at <see cref="Level"/> (sub_distributor or retailer); the response carries its API key, shown once.</summary>
public sealed record CreateDealerRequest(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("parentId")] string? ParentId,
    [property: JsonPropertyName("level")] string? Level,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("region")] RegionDto? Region);

/// <summary>A dealer: its place in the tree and its own sales region.</summary>
public sealed record DealerDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("parentId")] string? ParentId,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("region")] RegionDto Region);

public sealed record CreatedDealer(
    [property: JsonPropertyName("dealer")] DealerDto Dealer,
    [property: JsonPropertyName("apiKeyId")] string ApiKeyId,
    [property: JsonPropertyName("apiKey")] string ApiKey);

/// <summary>A custody scan: bottle or case URIs, and for a scan-out the child dealer they go to. The place is in the query, as for receipts.</summary>
public sealed record CustodyScanRequest(
    [property: JsonPropertyName("codes")] IReadOnlyList<string>? Codes,
    [property: JsonPropertyName("to")] string? To = null);

/// <summary>What a custody scan recorded, and the codes it could not take as they are.</summary>
public sealed record CustodyScanResult(
    [property: JsonPropertyName("received")] int Received,
    [property: JsonPropertyName("bottles")] int Bottles,
    [property: JsonPropertyName("notAddressedToYou")] IReadOnlyList<string> NotAddressedToYou,
    [property: JsonPropertyName("notInYourCustody")] IReadOnlyList<string> NotInYourCustody,
    [property: JsonPropertyName("unknown")] IReadOnlyList<string> Unknown,
    [property: JsonPropertyName("counterfeit")] IReadOnlyList<string> Counterfeit,
    [property: JsonPropertyName("placeOutsideYourRegion")] bool PlaceOutsideYourRegion);

/// <summary>One link of a bottle's custody chain.</summary>
public sealed record CustodyLinkDto(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("dealerId")] string DealerId,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("case")] string? Case,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("lat")] double? Lat,
    [property: JsonPropertyName("lon")] double? Lon,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("insideRegion")] bool? InsideRegion,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>Weak diversion evidence as the producer sees it.</summary>
public sealed record EvidenceDto(
    [property: JsonPropertyName("grade")] string Grade,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("distributorId")] string? DistributorId,
    [property: JsonPropertyName("lat")] double? Lat,
    [property: JsonPropertyName("lon")] double? Lon,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>
/// A bottle's chain of custody: the producer's shipment, then every dealer scan in order, who holds it now (and to whom
/// it is in transit); the producer also gets the weak evidence of consumer scans outside the region.
/// </summary>
public sealed record CustodyChainDto(
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("shippedTo")] string? ShippedTo,
    [property: JsonPropertyName("shipmentId")] long? ShipmentId,
    [property: JsonPropertyName("links")] IReadOnlyList<CustodyLinkDto> Links,
    [property: JsonPropertyName("holder")] string? Holder,
    [property: JsonPropertyName("inTransitTo")] string? InTransitTo,
    [property: JsonPropertyName("weakEvidence")] IReadOnlyList<EvidenceDto>? WeakEvidence);

/// <summary>A dealer's custody at a glance.</summary>
public sealed record DealerReport(
    [property: JsonPropertyName("dealer")] DealerDto Dealer,
    [property: JsonPropertyName("children")] IReadOnlyList<string> Children,
    [property: JsonPropertyName("holdsNow")] long HoldsNow,
    [property: JsonPropertyName("scannedIn")] long ScannedIn,
    [property: JsonPropertyName("scannedOut")] long ScannedOut,
    [property: JsonPropertyName("diversionAlertsByGrade")] IReadOnlyDictionary<string, long> DiversionAlertsByGrade,
    [property: JsonPropertyName("caseRebates")] long CaseRebates);

/// <summary>A retailer opens a case in its custody (at the place in the query).</summary>
public sealed record CaseOpeningRequest([property: JsonPropertyName("case")] string? Case);

/// <summary>The rebate a case opening earned: <c>earned</c> now, or <c>already_earned</c> by this retailer before (same answer, no second rebate).</summary>
public sealed record CaseRebateDto(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("case")] string Case,
    [property: JsonPropertyName("retailerId")] string RetailerId,
    [property: JsonPropertyName("amount")] string Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("bottles")] int Bottles,
    [property: JsonPropertyName("rebateAlertId")] long RebateAlertId,
    [property: JsonPropertyName("earnedAt")] DateTimeOffset EarnedAt);
