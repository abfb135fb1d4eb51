using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Provenance.Core.Signing;

namespace Provenance.Core.Gateways;

/// <summary>Signs gateway payloads into JWS (kid = gateway id) and decodes them back. Thread-safe.</summary>
public static class GatewayMessageCodec
{
    /// <summary>The deepest JSON nesting a gateway payload may have (a seal message needs 3).</summary>
    public const int MaxJsonDepth = 8;

    public static string SignSeal(SealMessage message, ECDsa key) => Sign(message, message.GatewayId, key, GatewayJsonContext.Default.SealMessage);

    public static string SignGnss(GnssMessage message, ECDsa key) => Sign(message, message.GatewayId, key, GatewayJsonContext.Default.GnssMessage);

    public static string SignPack(PackMessage message, ECDsa key) => Sign(message, message.GatewayId, key, GatewayJsonContext.Default.PackMessage);

    public static string SignStatus(StatusMessage message, ECDsa key) => Sign(message, message.GatewayId, key, GatewayJsonContext.Default.StatusMessage);

    private static string Sign<T>(T message, string gatewayId, ECDsa key, JsonTypeInfo<T> typeInfo) =>
        CompactJws.Sign(JsonSerializer.SerializeToUtf8Bytes(message, typeInfo), gatewayId, key);

    /// <summary>Deserialises a verified JWS payload; the error says what is wrong with it.</summary>
    public static bool TryReadPayload<T>(byte[] payload, JsonTypeInfo<T> typeInfo, out T? message, out string? error)
        where T : class
    {
        try
        {
            message = JsonSerializer.Deserialize(payload, typeInfo);
            error = message is null ? "payload is JSON null" : null;
            return message is not null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with an invalid escaped surrogate.
            message = null;
            error = $"payload is not a valid {typeof(T).Name}: {e.Message}";
            return false;
        }
    }
}
