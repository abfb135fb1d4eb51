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

    /// <summary>TCP port of the plain listener; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Serve plain MQTT on <see cref="Port"/>. A plant that uses TLS only sets this false.</summary>
    public bool Plaintext { get; set; } = true;

    /// <summary>Connections one listener holds at most; beyond, new ones are closed at once and existing ones keep being served.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Connections one remote address holds at most, per listener (a line has a handful of gateways behind one NAT at most).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerAddress { get; set; } = 32;

    /// <summary>File handles kept free for the database, the HTTP server and logs: no connection is accepted that would eat into them.</summary>
    [Range(0, 1_000_000)]
    public int FileHandleReserve { get; set; } = 256;

    /// <summary>Time a new connection has to finish TLS and send CONNECT; slower ones are closed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Broker:ConnectTimeout must be between 1 s and 10 min")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest MQTT packet read (announced to MQTT 5 clients in CONNACK); a larger one closes the connection before
    /// it is read. Keep it above <c>Ingestion:MaxPayloadBytes</c> so that a payload a little too large is dead-lettered
    /// as <c>oversized</c> instead.
    /// </summary>
    [Range(4096, 256 * 1024 * 1024)]
    public int MaxPacketBytes { get; set; } = 1024 * 1024;

    /// <summary>TLS listener (MQTT over TLS, port 8883) and X.509 client certificates.</summary>
    public BrokerTlsOptions Tls { get; set; } = new();

    /// <summary>Azure IoT Hub's device dialect on the TLS listener (SAS-token login, <c>devices/{id}/messages/events/</c>).</summary>
    public IotHubDialectOptions IotHub { get; set; } = new();
}
