namespace Provenance.Ingestion;

/// <summary>Why a source refused a message before it reached verification: a stable reason code and a sentence.</summary>
public sealed record InboundRefusal(string ReasonCode, string Reason);
