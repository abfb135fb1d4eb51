using System.Text.Json.Serialization;

namespace Provenance.Core.Gateways;

/// <summary>The payload of a <c>gnss</c> message: the receiver's own NMEA 0183 sentences, CRLF-separated, as read.</summary>
public sealed record GnssMessage
{
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    [JsonPropertyName("site")] public required string SiteId { get; init; }
    [JsonPropertyName("gateway")] public required string GatewayId { get; init; }
    [JsonPropertyName("sentAt")] public required DateTimeOffset SentAt { get; init; }
    [JsonPropertyName("nmea")] public required string Nmea { get; init; }
}
