namespace Provenance.Storage.Ingestion;

/// <summary>
/// Everything one MQTT message leads to, prepared outside the database: the signed message to keep, the seals and
/// fixes to store and journal, and the dead letters. Committed by <see cref="IngestionWriter"/> in one transaction.
/// </summary>
public sealed class IngestionUnit
{
    public string? Topic { get; init; }

    /// <summary>The gateway whose verified message this is; null when the message was rejected before verification.</summary>
    public string? GatewayId { get; init; }

    /// <summary>The original signed message (JWS compact), kept when anything of it is stored.</summary>
    public string? Jws { get; init; }

    public List<SealToStore> Seals { get; } = [];

    public List<FixToStore> Fixes { get; } = [];

    /// <summary>The gateway's recent-fix history after this message, to persist (JSON), when it changed.</summary>
    public string? FixHistoryJson { get; set; }

    public List<DeadLetter> DeadLetters { get; } = [];

    /// <summary>The source position this message reached, committed with it (replayable sources only).</summary>
    public SourceCheckpoint? Checkpoint { get; set; }
}
