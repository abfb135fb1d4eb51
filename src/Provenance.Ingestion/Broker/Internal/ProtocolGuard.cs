using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Provenance.Ingestion.Broker.Internal;

/// <summary>
/// PUBLISH packets that break MQTT's rules and that MQTTnet would otherwise accept: the connection is closed with the
/// reason (MQTT 5 DISCONNECT), never acknowledged. Stateless.
/// </summary>
internal static class ProtocolGuard
{
    /// <summary>The reason to close the connection, or null when the packet is acceptable.</summary>
    public static (MqttDisconnectReasonCode Code, string Reason)? Check(MqttPublishPacket publish)
    {
        if ((int)publish.QualityOfServiceLevel > 2)
        {
            // MQTT-3.3.1-4: both QoS bits set is a malformed packet.
            return (MqttDisconnectReasonCode.MalformedPacket, "QoS 3 does not exist");
        }

        if (publish.TopicAlias != 0)
        {
            // The broker announces Topic Alias Maximum 0, so every alias is out of range (MQTT-3.3.2-9).
            return (MqttDisconnectReasonCode.TopicAliasInvalid, "topic aliases are not accepted (Topic Alias Maximum is 0)");
        }

        var topic = publish.Topic;
        if (string.IsNullOrEmpty(topic) || topic.AsSpan().IndexOfAny('+', '#', '\0') >= 0)
        {
            // MQTT-3.3.2-2: a topic name must not contain wildcards (nor U+0000, MQTT-1.5.4-2).
            return (MqttDisconnectReasonCode.TopicNameInvalid, "a PUBLISH topic must be a non-empty name without '+', '#' or U+0000");
        }

        return null;
    }
}
