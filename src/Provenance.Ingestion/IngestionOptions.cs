using System.ComponentModel.DataAnnotations;

namespace Provenance.Ingestion;

/// <summary>Ingestion settings, bound from configuration section <c>Ingestion</c> and validated at start-up.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Messages received but not yet committed and acknowledged, at most. Publishers wait beyond it.</summary>
    [Range(1, 100_000)]
    public int MaxUnacknowledged { get; set; } = 2048;

    /// <summary>Messages committed together in one durable transaction (group commit), at most.</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 512;

    /// <summary>Largest accepted payload; larger messages go to the dead-letter store as <c>oversized</c>.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>Most seal events in one message.</summary>
    [Range(1, 10_000)]
    public int MaxEventsPerMessage { get; set; } = 1000;

    /// <summary>How far a gateway's timestamps (sentAt, sealedAt, status, fixes) may be ahead of this server's clock; beyond: <c>future</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Ingestion:MaxClockSkew must be between 0 and 1 day")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old a gateway's timestamps may be: longer than any store-and-forward outage a gateway must survive, short
    /// enough that a replayed old signed message is refused as <c>stale</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = "Ingestion:MaxMessageAge must be between 1 minute and 3650 days")]
    public TimeSpan MaxMessageAge { get; set; } = TimeSpan.FromDays(30);
}
