namespace Provenance.Storage.Ingestion;

/// <summary>
/// A verified seal event ready to store. <see cref="RecordJson"/> is the provenance record that the journal carries to
/// the ledger; <see cref="ContentHash"/> identifies the event's content so that a redelivery is told from a conflict;
/// <see cref="AttestationInputsJson"/> names the fixes and thresholds the origin attestation used, so that a proof
/// can hand them over for re-checking.
/// </summary>
public sealed record SealToStore(
    string EventId,
    string Gtin,
    string Serial,
    string GatewayId,
    string SiteId,
    string Line,
    DateTimeOffset SealedAt,
    string SealType,
    string? NfcUid,
    long Sequence,
    bool Attested,
    string AttestationJson,
    byte[] ContentHash,
    string RecordJson,
    string? AttestationInputsJson = null);
