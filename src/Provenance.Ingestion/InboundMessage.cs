using Provenance.Ingestion.Tracing;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion;

/// <summary>
/// A message on its way into the <see cref="IngestionPipeline"/> from any source: the gateway topic it stands for and
/// its payload (a JWS), plus, for a replayable source, the position it reaches (committed with its outcome), or the
/// reason the source already refused it (stored as a dead letter in the same commit), and the trace context the
/// gateway sent with it, if any (unverified: ignored when it does not parse).
/// </summary>
public sealed record InboundMessage(string Topic, ReadOnlyMemory<byte> Payload)
{
    public SourceCheckpoint? Checkpoint { get; init; }

    public InboundRefusal? Refusal { get; init; }

    public MessageTrace Trace { get; init; }
}
