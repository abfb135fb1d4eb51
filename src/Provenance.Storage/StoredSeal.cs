namespace Provenance.Storage;

/// <summary>A stored seal with its site's name and, once appended, its ledger entry (index and hash).</summary>
public sealed record StoredSeal(
    string EventId,
    string GatewayId,
    string SiteId,
    string? SiteName,
    string Line,
    DateTimeOffset SealedAt,
    string SealType,
    string? NfcUid,
    bool Attested,
    string AttestationJson,
    long? LedgerIndex,
    byte[]? LedgerHash);
