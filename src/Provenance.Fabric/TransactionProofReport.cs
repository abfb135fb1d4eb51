namespace Provenance.Fabric;

/// <summary>The outcome of one part of a <see cref="TransactionProof"/>.</summary>
public sealed record TransactionProofCheck(string Part, bool Passed, string Message);

/// <summary>One write of a transaction's public write set: chaincode namespace, key, and value (empty for a delete).</summary>
public sealed record StateWrite(string Namespace, string Key, bool IsDelete, byte[] Value);

/// <summary>
/// The checks of a <see cref="TransactionProof"/>, with what the transaction invoked and wrote (read from the
/// endorsed response, for a caller to tie the transaction to its own record).
/// </summary>
public sealed record TransactionProofReport(IReadOnlyList<TransactionProofCheck> Checks, string? ChaincodeName, IReadOnlyList<StateWrite> Writes, string? ChannelId);
