namespace Provenance.Storage.Epcis;

/// <summary>An event read back from the repository: its position, the JSON as stored, when it was recorded, its extension prefixes, whom it concerns, its content hash.</summary>
public sealed record StoredEpcisEvent(long Sequence, string EventId, string Json, DateTimeOffset RecordTime, string? PrefixesJson, string? DistributorId, string ContentHash);
