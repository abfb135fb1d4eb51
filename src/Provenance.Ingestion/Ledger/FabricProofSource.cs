using Provenance.Core.Proofs;
using Provenance.Fabric;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// The block evidence of a committed transaction, asked of the ledger engine's peer (qscc GetBlockByTxID) as the
/// recording identity. Thread-safe.
/// </summary>
public sealed class FabricProofSource(Network network) : IFabricProofSource
{
    /// <inheritdoc/>
    public async Task<ProofFabricTransaction> FetchAsync(string transactionId, CancellationToken cancellationToken = default)
    {
        var proof = await network.GetTransactionProofAsync(transactionId, cancellationToken).ConfigureAwait(false);
        return new ProofFabricTransaction(
            network.Name,
            proof.TransactionIndex,
            Convert.ToHexStringLower(proof.Envelope.Span),
            Convert.ToHexStringLower(proof.BlockHeader.Span),
            [.. proof.OtherEnvelopes.Select(e => Convert.ToHexStringLower(e.Span))],
            Convert.ToHexStringLower(proof.BlockSignatures.Span),
            Convert.ToHexStringLower(proof.TransactionsFilter.Span));
    }
}
