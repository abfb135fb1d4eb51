namespace Provenance.FirmwareSim;

/// <summary>When a queued message may leave the store-and-forward queue.</summary>
public enum AckMode
{
    /// <summary>
    /// End-to-end when the broker lets the gateway subscribe to its acknowledgement topic (mosquitto with the shipped
    /// ACL); otherwise on PUBACK (the embedded broker, whose PUBACK is sent only after ingestion's commit).
    /// </summary>
    Auto,

    /// <summary>On the broker's PUBACK: the broker holds the message (in memory for mosquitto).</summary>
    Broker,

    /// <summary>Only on ingestion's end-to-end acknowledgement, sent after its durable commit; refuse to run without it.</summary>
    Ingestion,
}
