using Provenance.Core.Gateways;

namespace Provenance.FirmwareSim.Queue;

/// <summary>
/// One message in the store-and-forward queue: where it goes, the signed payload, and what it carries
/// (the seal event ids, and the gateway's seal progress after it, so a restarted simulator resumes the sequence).
/// </summary>
public sealed record QueuedMessage
{
    /// <summary>The MQTT topic.</summary>
    public required string Topic { get; init; }

    /// <summary>What the message carries.</summary>
    public required GatewayMessageKind Kind { get; init; }

    /// <summary>The payload as published (a compact JWS, ASCII).</summary>
    public required byte[] Payload { get; init; }

    /// <summary>The event ids of a seal message; empty for other kinds.</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];

    /// <summary>The highest seal sequence number issued up to and including this message (0 if none).</summary>
    public long LastSequence { get; init; }

    /// <summary>How many codes of the code list were consumed up to and including this message.</summary>
    public long CodesConsumed { get; init; }
}
