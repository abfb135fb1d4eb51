using System.Text.Json.Serialization;

namespace Provenance.Core.Gateways;

/// <summary>The payload of a <c>status</c> message (retained; the offline one is the MQTT last will).</summary>
public sealed record StatusMessage
{
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    [JsonPropertyName("site")] public required string SiteId { get; init; }
    [JsonPropertyName("gateway")] public required string GatewayId { get; init; }
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("at")] public required DateTimeOffset At { get; init; }

    public const string Online = "online";
    public const string Offline = "offline";
}
