namespace Provenance.Ingestion.EventHubs;

/// <summary>
/// What one partition reader last knew: the committed sequence number, when it last received, and the problem that
/// stops it, if any (<see cref="Permanent"/>: retrying will not help until someone acts, e.g. a revoked key).
/// </summary>
public sealed record PartitionState(string Partition, long? CommittedSequenceNumber, DateTimeOffset? LastReceivedAt, string? Problem, bool Permanent);
