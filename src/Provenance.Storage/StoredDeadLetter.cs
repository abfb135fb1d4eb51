namespace Provenance.Storage;

/// <summary>A dead letter as stored: when, the topic, the reason and the original bytes.</summary>
public sealed record StoredDeadLetter(long Id, DateTimeOffset ReceivedAt, string? Topic, string ReasonCode, string Reason, string? EventId, byte[] Payload);
