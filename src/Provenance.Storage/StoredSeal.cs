namespace Provenance.Storage;

/// <summary>
/// A stored seal with its site's name and, once appended, its ledger entry: index and hash in the embedded ledger, or
/// the Fabric transaction id and block number.
/// </summary>
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
    byte[]? LedgerHash,
    string? LedgerTransactionId = null,
    long? LedgerBlockNumber = null);
