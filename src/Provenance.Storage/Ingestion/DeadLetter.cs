namespace Provenance.Storage.Ingestion;

/// <summary>
/// Rejected input with the reason (a stable code and a sentence). <see cref="Payload"/> is the rejected bytes when
/// they are not an <see cref="IngestionUnit"/>'s message; null means "the message of the unit this letter belongs
/// to", which is then stored once however many of its events were rejected.
/// </summary>
public sealed record DeadLetter(string? Topic, string ReasonCode, string Reason, string? EventId, byte[]? Payload = null);
