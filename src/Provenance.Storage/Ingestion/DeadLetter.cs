namespace Provenance.Storage.Ingestion;

/// <summary>Rejected input with the reason (a stable code and a sentence) and the original bytes.</summary>
public sealed record DeadLetter(string? Topic, string ReasonCode, string Reason, string? EventId, byte[] Payload);
