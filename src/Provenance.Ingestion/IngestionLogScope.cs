using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Provenance.Core.Gateways;

namespace Provenance.Ingestion;

/// <summary>
/// Log scopes that tie a log line to what it is about, under stable names a log shipper can index: <c>GatewayId</c>,
/// <c>SiteId</c>, <c>MessageId</c> (the first 16 hex digits of the payload's SHA-256: the same for every redelivery of a
/// message, and computable from a dead letter's original bytes) and <c>EventId</c> (a seal event). The JSON console
/// formatter writes them as properties of <c>Scopes</c> (<c>Logging:Console:FormatterOptions:IncludeScopes</c>).
/// </summary>
public static class IngestionLogScope
{
    /// <summary>A scope for one gateway message, from its topic and payload.</summary>
    public static IDisposable? BeginMessage(ILogger logger, string topic, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var scope = new Dictionary<string, object?>(3) { ["MessageId"] = MessageId(payload) };
        if (GatewayTopic.TryParse(topic, out var parsed, out _))
        {
            scope["GatewayId"] = parsed.GatewayId;
            scope["SiteId"] = parsed.SiteId;
        }

        return logger.BeginScope(scope);
    }

    /// <summary>A scope for one seal event.</summary>
    public static IDisposable? BeginEvent(ILogger logger, string gatewayId, string eventId)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger.BeginScope(new Dictionary<string, object?>(2) { ["GatewayId"] = gatewayId, ["EventId"] = eventId });
    }

    /// <summary>The message id of a payload: 16 lower-case hex digits of its SHA-256.</summary>
    public static string MessageId(ReadOnlySpan<byte> payload)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
