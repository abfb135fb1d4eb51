namespace Provenance.Core.Proofs;

/// <summary>
/// Fetches the block evidence of a committed Fabric transaction for a proof bundle (the ledger engine's peer
/// connection). Thread-safe.
/// </summary>
public interface IFabricProofSource
{
    /// <summary>
    /// The evidence of <paramref name="transactionId"/>. Throws when the peer cannot be asked or does not hold the
    /// transaction; the exception's message says why, for the bundle's note.
    /// </summary>
    Task<ProofFabricTransaction> FetchAsync(string transactionId, CancellationToken cancellationToken = default);
}
