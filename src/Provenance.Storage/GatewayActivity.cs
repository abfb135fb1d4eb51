namespace Provenance.Storage;

/// <summary>
/// What the dashboard knows about one gateway: its site, its last status message (online/offline, from the
/// gateway's birth and last-will messages), its last received message, its recent fixes (JSON list of GNSS fixes) and the reported properties of its
/// device twin (JSON, IoT Hub dialect).
/// </summary>
public sealed record GatewayActivity(
    string GatewayId,
    string SiteId,
    string? SiteName,
    string? LastStatus,
    DateTimeOffset? LastStatusAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastMessageAt,
    DateTimeOffset? FixesUpdatedAt,
    string? RecentFixesJson,
    string? ReportedTwinJson = null);
