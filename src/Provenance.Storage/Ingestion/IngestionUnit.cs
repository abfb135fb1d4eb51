using System.Diagnostics;

namespace Provenance.Storage.Ingestion;

/// <summary>
/// Everything one MQTT message leads to, prepared outside the database: the signed message to keep, the seals and
/// fixes to store and journal, the gateway's status, and the dead letters. Committed by <see cref="IngestionWriter"/>
/// in one transaction.
/// </summary>
public sealed class IngestionUnit
{
    public string? Topic { get; init; }

    /// <summary>The gateway whose verified message this is; null when the message was rejected before verification.</summary>
    public string? GatewayId { get; init; }

    /// <summary>
    /// The gateway the message claims to come from (its topic), verified or not: the dead-letter quota it counts
    /// against. Empty when not even the topic names one.
    /// </summary>
    public string SourceGatewayId { get; init; } = string.Empty;

    /// <summary>The original signed message (JWS compact), kept when anything of it is stored.</summary>
    public string? Jws { get; init; }

    /// <summary>The message's bytes as received: what its dead letters keep (once, cut to the quota's size).</summary>
    public ReadOnlyMemory<byte> RawMessage { get; init; }

    public List<SealToStore> Seals { get; } = [];

    public List<FixToStore> Fixes { get; } = [];

    /// <summary>Containers closed at the line (pack messages), bound in the same commit as everything else.</summary>
    public List<PackToStore> Packs { get; } = [];

    /// <summary>The gateway's recent-fix history after this message, to persist (JSON), when it changed.</summary>
    public string? FixHistoryJson { get; set; }

    /// <summary>The state a status message reported, stored with the gateway in the same commit.</summary>
    public GatewayStatusUpdate? Status { get; set; }

    public List<DeadLetter> DeadLetters { get; } = [];

    /// <summary>The span that verified the message (default when not traced): the commit's span is its child.</summary>
    public ActivityContext TraceContext { get; set; }

    /// <summary>The source position this message reached, committed with it (replayable sources only).</summary>
    public SourceCheckpoint? Checkpoint { get; set; }

    /// <summary>A unit that stores nothing but one dead letter holding the whole message.</summary>
    public static IngestionUnit Rejected(string? topic, string sourceGatewayId, ReadOnlyMemory<byte> rawMessage, string reasonCode, string reason)
    {
        var unit = new IngestionUnit { Topic = topic, SourceGatewayId = sourceGatewayId, RawMessage = rawMessage };
        unit.DeadLetters.Add(new DeadLetter(topic, reasonCode, reason, null));
        return unit;
    }
}
