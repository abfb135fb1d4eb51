namespace Provenance.Storage;

/// <summary>A stored seal whose origin attestation failed, with its lot (to rebuild the code) and its ledger entry if appended.</summary>
public sealed record OriginFailureSeal(
    string EventId,
    string Gtin,
    string Serial,
    string? Lot,
    string SiteId,
    string GatewayId,
    string Line,
    DateTimeOffset SealedAt,
    string AttestationJson,
    long? LedgerIndex,
    byte[]? LedgerHash);
