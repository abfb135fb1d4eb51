namespace Provenance.Fabric;

/// <summary>
/// The transaction was committed to a block but validated as invalid (e.g. <c>MVCC_READ_CONFLICT</c>): its writes did
/// not reach the world state. Not a gRPC failure. A read conflict is transient in the sense that a new transaction
/// (a new proposal, new endorsements) may succeed; submitting the same transaction again cannot.
/// </summary>
public sealed class CommitException : GatewayException
{
    public CommitException()
        : this("The transaction was committed as invalid.")
    {
    }

    public CommitException(string message)
        : this(message, null)
    {
    }

    public CommitException(string message, Exception? innerException)
        : base(message, GatewayStep.Commit, null, null, [], innerException)
    {
        Status = new CommitStatus(string.Empty, TxValidationCode.InvalidOtherReason, 0);
    }

    public CommitException(CommitStatus status)
        : base(
            $"Transaction {status?.TransactionId} was committed in block {status?.BlockNumber} as invalid: "
            + $"{status?.CodeName} ({(int?)status?.Code}).",
            GatewayStep.Commit,
            status?.TransactionId,
            null,
            [],
            null)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
    }

    /// <summary>The commit status: code, Fabric code name and block number.</summary>
    public CommitStatus Status { get; }

    /// <summary>The validation code.</summary>
    public TxValidationCode Code => Status.Code;

    /// <summary>Fabric's name for the validation code, e.g. <c>MVCC_READ_CONFLICT</c>.</summary>
    public string ValidationCodeName => Status.CodeName;

    /// <inheritdoc />
    public override bool IsTransient => Code is TxValidationCode.MvccReadConflict or TxValidationCode.PhantomReadConflict;
}
