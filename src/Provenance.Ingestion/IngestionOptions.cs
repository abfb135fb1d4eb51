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
}
