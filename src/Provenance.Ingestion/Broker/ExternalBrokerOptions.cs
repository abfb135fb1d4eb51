using System.ComponentModel.DataAnnotations;

namespace Provenance.Ingestion.Broker;

/// <summary>
/// Ingestion from an external broker (mosquitto, EMQX), section <c>Mqtt</c>; used when <c>Broker:Embedded</c> is false.
/// </summary>
public sealed class ExternalBrokerOptions
{
    public const string Section = "Mqtt";

    [Required(ErrorMessage = "Mqtt:Host is required when Broker:Embedded is false")]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A fixed client id per instance, so that the broker keeps the session across restarts. Empty: derived from the host name.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Shared-subscription group; instances in one group split the messages. Empty (the default, one ingestion
    /// instance): a plain subscription, which mosquitto 2.0 keeps across its own restart — a shared one it does not.
    /// </summary>
    public string? SharedGroup { get; set; }

    /// <summary>
    /// How long the broker keeps the session (and queues QoS 1 messages) while ingestion is down. Zero would make the
    /// broker forget the subscription at every disconnect and drop what arrives meanwhile, so it is refused.
    /// </summary>
    [Range(60, uint.MaxValue, ErrorMessage = "Mqtt:SessionExpirySeconds must be at least 60: with 0 the broker discards messages published while ingestion is down")]
    public long SessionExpirySeconds { get; set; } = 86_400;

    /// <summary>TLS to the broker; the certificate must name <see cref="Host"/> (DNS name or IP address).</summary>
    public bool UseTls { get; set; }

    /// <summary>The CA (PEM or DER) that signed the broker's certificate, when it is not in the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>Socket buffer size: MQTTnet's 8 KiB default was measured here to stall QoS 1 streams for minutes.</summary>
    [Range(8 * 1024, 64 * 1024 * 1024)]
    public int SocketBufferBytes { get; set; } = 1 << 20;

    public string EffectiveClientId => string.IsNullOrWhiteSpace(ClientId) ? $"provenance-ingestion-{Environment.MachineName.ToLowerInvariant()}" : ClientId;

    public string SubscriptionFilter => string.IsNullOrWhiteSpace(SharedGroup)
        ? Core.Gateways.GatewayTopic.AllMessagesFilter
        : $"$share/{SharedGroup}/{Core.Gateways.GatewayTopic.AllMessagesFilter}";
}
