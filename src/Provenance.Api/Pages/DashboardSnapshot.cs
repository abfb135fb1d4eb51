using System.Text.Json.Serialization;

namespace Provenance.Api.Pages;

/// <summary>What <c>GET /api/dashboard</c> answers: the last hour of sealing per line, the gateways with their GNSS state, and origin-failure alerts.</summary>
public sealed record DashboardSnapshot(
    [property: JsonPropertyName("generatedAt")] DateTimeOffset GeneratedAt,
    [property: JsonPropertyName("windowMinutes")] int WindowMinutes,
    [property: JsonPropertyName("sealsLastHour")] long SealsLastHour,
    [property: JsonPropertyName("sealsLastMinute")] long SealsLastMinute,
    [property: JsonPropertyName("lines")] IReadOnlyList<LineSeals> Lines,
    [property: JsonPropertyName("gateways")] IReadOnlyList<GatewayState> Gateways,
    [property: JsonPropertyName("originFailures")] IReadOnlyList<OriginFailureAlert> OriginFailures);

/// <summary>Seals of one line: per minute over the window (minutes without seals are left out), the total, and <see cref="LastMinute"/>: the seals in the minute buckets that overlap the last 60 seconds.</summary>
public sealed record LineSeals(
    [property: JsonPropertyName("siteId")] string SiteId,
    [property: JsonPropertyName("line")] string Line,
    [property: JsonPropertyName("lastHour")] long LastHour,
    [property: JsonPropertyName("lastMinute")] long LastMinute,
    [property: JsonPropertyName("perMinute")] IReadOnlyList<MinuteCount> PerMinute)
{
    /// <summary>Seals of the last hour whose origin was attested.</summary>
    [JsonPropertyName("attestedLastHour")] public long AttestedLastHour { get; init; }

    /// <summary>Seals of the last hour whose origin was not attested (see the origin alerts for why).</summary>
    [JsonPropertyName("unattestedLastHour")] public long UnattestedLastHour { get; init; }
}

/// <summary>How many seals in the minute starting at <see cref="Minute"/>.</summary>
public sealed record MinuteCount(
    [property: JsonPropertyName("minute")] DateTimeOffset Minute,
    [property: JsonPropertyName("count")] long Count);

/// <summary>
/// One gateway: <see cref="Status"/> is <c>online</c>, <c>offline</c> or <c>unknown</c>, from its last status
/// message and its last received message; its last fix and a per-15-seconds GNSS history over the window; the firmware
/// version and store-and-forward queue depth it reported in its device twin (IoT Hub dialect), when it did.
/// </summary>
public sealed record GatewayState(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("siteId")] string SiteId,
    [property: JsonPropertyName("siteName")] string? SiteName,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("lastStatus")] string? LastStatus,
    [property: JsonPropertyName("lastStatusAt")] DateTimeOffset? LastStatusAt,
    [property: JsonPropertyName("lastMessageAt")] DateTimeOffset? LastMessageAt,
    [property: JsonPropertyName("lastFix")] GnssSample? LastFix,
    [property: JsonPropertyName("history")] IReadOnlyList<GnssSample> History,
    [property: JsonPropertyName("firmwareVersion")] string? FirmwareVersion = null,
    [property: JsonPropertyName("queueDepth")] long? QueueDepth = null);

/// <summary>A GNSS fix, or the average of the fixes in one history bucket (then <see cref="InsideGeofence"/> is true only if all were inside).</summary>
public sealed record GnssSample(
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("lat")] double? Latitude,
    [property: JsonPropertyName("lon")] double? Longitude,
    [property: JsonPropertyName("hdop")] double? Hdop,
    [property: JsonPropertyName("sats")] double? SatellitesUsed,
    [property: JsonPropertyName("bdsSats")] double? BeiDouSatellitesUsed,
    [property: JsonPropertyName("insideGeofence")] bool? InsideGeofence,
    [property: JsonPropertyName("distanceM")] double? DistanceMeters);

/// <summary>A seal whose origin attestation failed, with links to the evidence: the code's scan page and its ledger entry.</summary>
public sealed record OriginFailureAlert(
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("gtin")] string Gtin,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("siteId")] string SiteId,
    [property: JsonPropertyName("gatewayId")] string GatewayId,
    [property: JsonPropertyName("line")] string Line,
    [property: JsonPropertyName("sealedAt")] DateTimeOffset SealedAt,
    [property: JsonPropertyName("failures")] IReadOnlyList<string> Failures,
    [property: JsonPropertyName("scanUrl")] string? ScanUrl,
    [property: JsonPropertyName("ledgerIndex")] long? LedgerIndex,
    [property: JsonPropertyName("ledgerHash")] string? LedgerHash);

/// <summary>Source-generated JSON for the dashboard.</summary>
[JsonSerializable(typeof(DashboardSnapshot))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
