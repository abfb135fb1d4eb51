namespace Provenance.Fabric;

/// <summary>
/// A transaction's validation code as recorded by the committing peers (Fabric's <c>protos.TxValidationCode</c>,
/// same numbers). Only <see cref="Valid"/> means the transaction's writes reached the world state.
/// </summary>
public enum TxValidationCode
{
    /// <summary><c>VALID</c></summary>
    Valid = 0,

    /// <summary><c>NIL_ENVELOPE</c></summary>
    NilEnvelope = 1,

    /// <summary><c>BAD_PAYLOAD</c></summary>
    BadPayload = 2,

    /// <summary><c>BAD_COMMON_HEADER</c></summary>
    BadCommonHeader = 3,

    /// <summary><c>BAD_CREATOR_SIGNATURE</c></summary>
    BadCreatorSignature = 4,

    /// <summary><c>INVALID_ENDORSER_TRANSACTION</c></summary>
    InvalidEndorserTransaction = 5,

    /// <summary><c>INVALID_CONFIG_TRANSACTION</c></summary>
    InvalidConfigTransaction = 6,

    /// <summary><c>UNSUPPORTED_TX_PAYLOAD</c></summary>
    UnsupportedTxPayload = 7,

    /// <summary><c>BAD_PROPOSAL_TXID</c></summary>
    BadProposalTxid = 8,

    /// <summary><c>DUPLICATE_TXID</c></summary>
    DuplicateTxid = 9,

    /// <summary><c>ENDORSEMENT_POLICY_FAILURE</c></summary>
    EndorsementPolicyFailure = 10,

    /// <summary><c>MVCC_READ_CONFLICT</c></summary>
    MvccReadConflict = 11,

    /// <summary><c>PHANTOM_READ_CONFLICT</c></summary>
    PhantomReadConflict = 12,

    /// <summary><c>UNKNOWN_TX_TYPE</c></summary>
    UnknownTxType = 13,

    /// <summary><c>TARGET_CHAIN_NOT_FOUND</c></summary>
    TargetChainNotFound = 14,

    /// <summary><c>MARSHAL_TX_ERROR</c></summary>
    MarshalTxError = 15,

    /// <summary><c>NIL_TXACTION</c></summary>
    NilTxaction = 16,

    /// <summary><c>EXPIRED_CHAINCODE</c></summary>
    ExpiredChaincode = 17,

    /// <summary><c>CHAINCODE_VERSION_CONFLICT</c></summary>
    ChaincodeVersionConflict = 18,

    /// <summary><c>BAD_HEADER_EXTENSION</c></summary>
    BadHeaderExtension = 19,

    /// <summary><c>BAD_CHANNEL_HEADER</c></summary>
    BadChannelHeader = 20,

    /// <summary><c>BAD_RESPONSE_PAYLOAD</c></summary>
    BadResponsePayload = 21,

    /// <summary><c>BAD_RWSET</c></summary>
    BadRwset = 22,

    /// <summary><c>ILLEGAL_WRITESET</c></summary>
    IllegalWriteset = 23,

    /// <summary><c>INVALID_WRITESET</c></summary>
    InvalidWriteset = 24,

    /// <summary><c>INVALID_CHAINCODE</c></summary>
    InvalidChaincode = 25,

    /// <summary><c>NOT_VALIDATED</c></summary>
    NotValidated = 254,

    /// <summary><c>INVALID_OTHER_REASON</c></summary>
    InvalidOtherReason = 255,
}
