using Provenance.Core.Gateways;

namespace Provenance.Ingestion.Internal;

/// <summary>Topics from the wire, made safe to log and to count against: bounded, and the gateway they name if any.</summary>
internal static class Topics
{
    public const int MaxLoggedLength = 200;

    public static string Bounded(string? topic) => topic is null ? "(none)" : topic.Length <= MaxLoggedLength ? topic : topic[..MaxLoggedLength] + "…";

    /// <summary>The gateway id of a well-formed gateway topic, else empty (the dead-letter quota of no gateway).</summary>
    public static string SourceGateway(string? topic) => GatewayTopic.TryParse(topic, out var parsed, out _) ? parsed.GatewayId : string.Empty;
}
