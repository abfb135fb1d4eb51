using Provenance.Fabric.Protos.Peer;

namespace Provenance.Fabric;

/// <summary>The outcome of a committed transaction. Immutable.</summary>
/// <param name="TransactionId">The transaction id.</param>
/// <param name="Code">Its validation code; only <see cref="TxValidationCode.Valid"/> is a success.</param>
/// <param name="BlockNumber">The block the transaction was committed in.</param>
public sealed record CommitStatus(string TransactionId, TxValidationCode Code, ulong BlockNumber)
{
    /// <summary>Whether the transaction was committed as valid.</summary>
    public bool Successful => Code == TxValidationCode.Valid;

    /// <summary>Fabric's name for the code, e.g. <c>MVCC_READ_CONFLICT</c>.</summary>
    public string CodeName =>
        TransactionReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("TxValidationCode")
            ?.FindValueByNumber((int)Code)?.Name
        ?? ((int)Code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
