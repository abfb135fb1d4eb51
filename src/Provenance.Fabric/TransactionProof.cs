using Google.Protobuf;
using Provenance.Fabric.Protos.Common;

namespace Provenance.Fabric;

/// <summary>
/// What it takes to check offline that a transaction was committed in a block: the transaction's envelope (its payload
/// with the endorsements, and the creator's signature), the block header, the block's other envelopes in order (to
/// recompute the header's data hash), the block's SIGNATURES metadata (the orderer's signature over the header) and
/// its TRANSACTIONS_FILTER metadata (the validation code of each transaction, as the committing peer recorded it).
/// Every value is the exact bytes of the block. Check it with <see cref="TransactionProofVerifier"/>. Immutable.
/// </summary>
public sealed record TransactionProof(
    string TransactionId,
    ulong BlockNumber,
    int TransactionIndex,
    ReadOnlyMemory<byte> Envelope,
    ReadOnlyMemory<byte> BlockHeader,
    IReadOnlyList<ReadOnlyMemory<byte>> OtherEnvelopes,
    ReadOnlyMemory<byte> BlockSignatures,
    ReadOnlyMemory<byte> TransactionsFilter)
{
    /// <summary>Index of the SIGNATURES entry of a block's metadata.</summary>
    internal const int SignaturesIndex = 0;

    /// <summary>Index of the TRANSACTIONS_FILTER entry of a block's metadata.</summary>
    internal const int TransactionsFilterIndex = 2;

    /// <summary>
    /// The proof of <paramref name="transactionId"/> from a serialized <c>common.Block</c> (as qscc GetBlockByTxID
    /// returns it). Throws <see cref="FormatException"/> when the bytes are not a block or the block does not hold the
    /// transaction.
    /// </summary>
    public static TransactionProof FromBlock(ReadOnlySpan<byte> block, string transactionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        Block parsed;
        try
        {
            parsed = Block.Parser.ParseFrom(block);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"not a Fabric block: {e.Message}", e);
        }

        if (parsed.Header is null || parsed.Data is null || parsed.Metadata is null || parsed.Metadata.Metadata.Count <= TransactionsFilterIndex)
        {
            throw new FormatException("the block lacks its header, data or metadata");
        }

        var data = parsed.Data.Data;
        var index = -1;
        for (var i = 0; i < data.Count && index < 0; i++)
        {
            if (TransactionIdOf(data[i]) == transactionId)
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new FormatException($"block {parsed.Header.Number} does not hold transaction {transactionId}");
        }

        return new TransactionProof(
            transactionId,
            parsed.Header.Number,
            index,
            data[index].ToByteArray(),
            parsed.Header.ToByteArray(),
            [.. data.Where((_, i) => i != index).Select(d => (ReadOnlyMemory<byte>)d.ToByteArray())],
            parsed.Metadata.Metadata[SignaturesIndex].ToByteArray(),
            parsed.Metadata.Metadata[TransactionsFilterIndex].ToByteArray());
    }

    private static string? TransactionIdOf(ByteString envelopeBytes)
    {
        try
        {
            var payload = Payload.Parser.ParseFrom(Protos.Common.Envelope.Parser.ParseFrom(envelopeBytes).Payload);
            return payload.Header is null ? null : ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader).TxId;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
