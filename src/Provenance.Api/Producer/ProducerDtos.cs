using System.Text.Json.Serialization;

namespace Provenance.Api.Producer;

public sealed record ProductBody(
    [property: JsonPropertyName("gtin")] string? Gtin,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("brand")] string Brand);

public sealed record SiteBody(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("lat")] double Lat,
    [property: JsonPropertyName("lon")] double Lon,
    [property: JsonPropertyName("radiusM")] double? RadiusM,
    [property: JsonPropertyName("polygon")] IReadOnlyList<double[]>? Polygon);

public sealed record GatewayBody(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("siteId")] string? SiteId,
    [property: JsonPropertyName("publicKeyPem")] string? PublicKeyPem,
    [property: JsonPropertyName("auth")] string? Auth = null,
    [property: JsonPropertyName("thumbprint")] string? Thumbprint = null);

/// <summary>A gateway's MQTT credentials, shown once.</summary>
public sealed record GatewayCredentialsBody(
    [property: JsonPropertyName("gatewayId")] string GatewayId,
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("keyFingerprint")] string KeyFingerprint,
    [property: JsonPropertyName("deviceKey")] string? DeviceKey = null);

public sealed record BatchRequest(
    [property: JsonPropertyName("gtin")] string? Gtin,
    [property: JsonPropertyName("lot")] string? Lot,
    [property: JsonPropertyName("count")] int Count);

public sealed record BatchBody(
    [property: JsonPropertyName("batchId")] long BatchId,
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("lot")] string? Lot,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("csv")] string Csv,
    [property: JsonPropertyName("zip")] string Zip);
