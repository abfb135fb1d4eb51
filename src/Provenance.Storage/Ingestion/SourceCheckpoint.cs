namespace Provenance.Storage.Ingestion;

/// <summary>
/// How far a replayable source (an Event Hubs partition) has been read: the position of the last message whose
/// outcome is committed. Written in the same transaction as that message, so a restart resumes right after it.
/// </summary>
/// <param name="Source">The source, e.g. <c>eventhubs:{namespace}/{event hub}/{consumer group}</c>.</param>
/// <param name="Partition">The partition of the source.</param>
/// <param name="SequenceNumber">The partition's sequence number of the message.</param>
/// <param name="Offset">The partition's offset of the message, as the service gave it (kept for operators).</param>
public sealed record SourceCheckpoint(string Source, string Partition, long SequenceNumber, string? Offset);
