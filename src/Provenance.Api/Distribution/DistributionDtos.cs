using System.Text.Json.Serialization;

namespace Provenance.Api.Distribution;

/// <summary>Creates a distributor account; the response carries its API key, shown this once.</summary>
public sealed record CreateDistributorRequest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("region")] RegionDto Region);

public sealed record DistributorDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("region")] RegionDto Region);

public sealed record CreatedDistributor(
    [property: JsonPropertyName("distributor")] DistributorDto Distributor,
    [property: JsonPropertyName("apiKeyId")] string ApiKeyId,
    [property: JsonPropertyName("apiKey")] string ApiKey);

/// <summary>Aggregates bottle tags under a case code (Digital Link with AI 00 SSCC, or 01 + 21).</summary>
public sealed record CreateCaseRequest(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

public sealed record CaseDto(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("tagCount")] int TagCount);

/// <summary>Allocates tags to a distributor: by code list, by lot, by case; region defaults to the distributor's.</summary>
public sealed record CreateShipmentRequest(
    [property: JsonPropertyName("distributorId")] string DistributorId,
    [property: JsonPropertyName("region")] RegionDto? Region,
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags,
    [property: JsonPropertyName("cases")] IReadOnlyList<string>? Cases,
    [property: JsonPropertyName("gtin")] string? Gtin,
    [property: JsonPropertyName("lot")] string? Lot,
    [property: JsonPropertyName("reassign")] bool Reassign = false);

public sealed record ShipmentDto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("distributorId")] string DistributorId,
    [property: JsonPropertyName("region")] RegionDto Region,
    [property: JsonPropertyName("tagCount")] long TagCount,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt);

/// <summary>What a receipt found: how many codes were fine, and the codes that were not.</summary>
public sealed record ReceiptResult(
    [property: JsonPropertyName("received")] int Received,
    [property: JsonPropertyName("accepted")] int Accepted,
    [property: JsonPropertyName("notAllocatedToYou")] IReadOnlyList<string> NotAllocatedToYou,
    [property: JsonPropertyName("otherRegion")] IReadOnlyList<string> OtherRegion,
    [property: JsonPropertyName("unknown")] IReadOnlyList<string> Unknown,
    [property: JsonPropertyName("counterfeit")] IReadOnlyList<string> Counterfeit)
{
    /// <summary>The codes of <see cref="NotAllocatedToYou"/> that no shipment ever allocated (the producer is alerted).</summary>
    [JsonPropertyName("neverShipped")]
    public IReadOnlyList<string> NeverShipped { get; init; } = [];

    /// <summary>True when the declared place is outside the receiver's own sales region (the producer is alerted).</summary>
    [JsonPropertyName("placeOutsideYourRegion")]
    public bool PlaceOutsideYourRegion { get; init; }
}

/// <summary>A distributor at a glance: its shipments, the bottles allocated to it now, and its alerts counted by kind.</summary>
public sealed record DistributorReport(
    [property: JsonPropertyName("distributor")] DistributorDto Distributor,
    [property: JsonPropertyName("shipments")] long Shipments,
    [property: JsonPropertyName("bottles")] long Bottles,
    [property: JsonPropertyName("alertsByKind")] IReadOnlyDictionary<string, long> AlertsByKind);
