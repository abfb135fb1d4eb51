using System.ComponentModel.DataAnnotations;

namespace Provenance.Ingestion.Broker;

/// <summary>The in-process MQTT broker, bound from configuration section <c>Broker</c>.</summary>
public sealed class EmbeddedBrokerOptions
{
    public const string Section = "Broker";

    /// <summary>Run the embedded broker (default). Set false to use an external broker (section <c>Mqtt</c>).</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>Address to listen on. Loopback by default; a plant server sets its LAN address explicitly.</summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;
}
