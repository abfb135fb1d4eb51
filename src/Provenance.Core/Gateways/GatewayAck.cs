using System.Buffers.Binary;

namespace Provenance.Core.Gateways;

/// <summary>
/// The end-to-end acknowledgement of the gateway protocol (MQTT 5 request/response). A broker's PUBACK only says the
/// broker holds a message in memory; a gateway that must not lose a seal to a broker crash publishes with
/// Response Topic = <see cref="TopicFor(string, string)"/> and its own Correlation Data, and releases the message only
/// when ingestion, after its durable commit, publishes <see cref="StoredPayload"/> with the same Correlation Data to
/// that topic. The topic is one level deeper than the gateway's message topics, so the ingestion filter
/// <c>prov/v1/+/+/+</c> never matches it, and ingestion answers only on the publishing gateway's own topic.
/// </summary>
public static class GatewayAck
{
    /// <summary>The last two levels of an acknowledgement topic.</summary>
    public const string Suffix = "ack/stored";

    /// <summary>The longest Correlation Data ingestion echoes; a longer one gets no acknowledgement.</summary>
    public const int MaxCorrelationBytes = 64;

    /// <summary>The payload of every acknowledgement: the message (its events, fixes or dead letter) is durably stored.</summary>
    public static ReadOnlySpan<byte> StoredPayload => """{"v":1,"status":"stored"}"""u8;

    /// <summary>The acknowledgement topic of one gateway: <c>prov/v1/{site}/{gateway}/ack/stored</c>.</summary>
    public static string TopicFor(string siteId, string gatewayId) => $"{GatewayTopic.Prefix}{siteId}/{gatewayId}/{Suffix}";

    /// <summary>The acknowledgement topic that belongs to a gateway message topic, or null when the topic is not one.</summary>
    public static string? TopicForMessage(string messageTopic) =>
        GatewayTopic.TryParse(messageTopic, out var topic, out _) ? TopicFor(topic.SiteId, topic.GatewayId) : null;

    /// <summary>Correlation Data for a gateway's queue position: 8 bytes, big-endian.</summary>
    public static byte[] Correlation(long queueIndex)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, queueIndex);
        return bytes;
    }

    /// <summary>Reads Correlation Data written by <see cref="Correlation"/>.</summary>
    public static bool TryReadCorrelation(ReadOnlySpan<byte> data, out long queueIndex)
    {
        queueIndex = data.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(data) : -1;
        return queueIndex >= 0;
    }
}
