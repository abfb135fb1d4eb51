using System.ComponentModel.DataAnnotations;

namespace Provenance.Ingestion.EventHubs;

/// <summary>
/// Reading an Azure IoT Hub's built-in Event Hub-compatible endpoint, section <c>EventHubs</c>. Setting
/// <see cref="ConnectionString"/> turns the source on.
/// </summary>
public sealed class EventHubsSourceOptions
{
    public const string Section = "EventHubs";

    /// <summary>
    /// The hub's "Event Hub-compatible endpoint" (Azure portal: IoT Hub → Built-in endpoints), a connection string
    /// <c>Endpoint=sb://….servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=…</c> of a policy
    /// with the <c>service connect</c> permission. A secret: pass it through the environment
    /// (<c>PROVENANCE_EventHubs__ConnectionString</c>) or a secret store, never in a committed file.
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The Event Hub-compatible name, when the connection string has no <c>EntityPath</c>.</summary>
    public string? EventHubName { get; set; }

    /// <summary>The consumer group to read as. Give Provenance its own (IoT Hub → Built-in endpoints → Consumer groups).</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "$Default";

    /// <summary>Where to start a partition that has no checkpoint yet: the oldest retained event or only new ones.</summary>
    public EventHubsStartPosition StartPosition { get; set; } = EventHubsStartPosition.Earliest;

    /// <summary>Events asked for per receive call.</summary>
    [Range(1, 1000)]
    public int MaxBatch { get; set; } = 100;

    /// <summary>How long one receive call waits for events.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest pause between attempts after a failure (attempts back off from 1 s up to this).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connect here instead of the namespace's host (a private endpoint or an AMQP gateway, <c>amqps://host:port</c>);
    /// the namespace still names the hub in tokens and the TLS server name.
    /// </summary>
    public string? CustomEndpointAddress { get; set; }

    /// <summary>
    /// A PEM file of CA certificates to trust for the endpoint's TLS certificate in addition to the system's (an
    /// inspecting proxy, or a test endpoint). The certificate's name must still match.
    /// </summary>
    public string? TrustedCaPath { get; set; }
}
