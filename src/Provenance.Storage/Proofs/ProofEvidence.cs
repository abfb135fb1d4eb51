using Provenance.Core.Registry;
using Provenance.Storage.Ledger;

namespace Provenance.Storage.Proofs;

/// <summary>
/// The stored evidence behind one sealed bottle, exactly as kept: the issued tag, the seal's record and the gateway's
/// signed message, the attestation's inputs, the signed GNSS messages that carried those fixes, the gateway and site as
/// registered with every key it has had (a bottle sealed before a key rotation was signed with an older one), the
/// commissioning event, and the ledger entry with its block (null until appended) or the Fabric
/// transaction. Immutable.
/// </summary>
public sealed record ProofEvidence(
    IssuedTag Tag,
    DateTimeOffset? IssuedAt,
    string EventId,
    string RecordJson,
    string SealMessageJws,
    string? AttestationInputsJson,
    IReadOnlyList<string> GnssMessages,
    int MissingFixes,
    GatewayRegistration Gateway,
    IReadOnlyList<GatewayKeyRecord> GatewayKeys,
    Site Site,
    string? CommissioningEventJson,
    string? CommissioningPrefixesJson,
    LedgerEntry? LedgerEntry,
    LedgerBlock? LedgerBlock,
    string? NodePublicKeyPem,
    StoredLedgerProof? ExternalProof);
