using System.Runtime.CompilerServices;
using Google.Protobuf;
using Provenance.Fabric.Protos.Gateway;
using Provenance.Fabric.Protos.Orderer;

namespace Provenance.Fabric;

/// <summary>A Fabric channel seen through a <see cref="Gateway"/>. Immutable and thread-safe.</summary>
public sealed class Network
{
    internal Network(Gateway gateway, string name)
    {
        Gateway = gateway;
        Name = name;
    }

    /// <summary>The channel name.</summary>
    public string Name { get; }

    /// <summary>The gateway (client identity and connection) this network is seen through.</summary>
    public Gateway Gateway { get; }

    /// <summary>A chaincode on this channel; with a contract name, functions are invoked as <c>Contract:Function</c>.</summary>
    public Contract GetContract(string chaincodeName, string? contractName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chaincodeName);
        return new Contract(this, chaincodeName, contractName);
    }

    /// <summary>
    /// A commit handle for any transaction id on this channel, e.g. to learn the outcome of a transaction whose submit
    /// or commit-status call failed ambiguously.
    /// </summary>
    public Commit NewCommit(string transactionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        return Commit.Create(Gateway, Name, transactionId);
    }

    /// <summary>Waits for and returns the commit status of a transaction by id (does not throw if invalid).</summary>
    public Task<CommitStatus> GetCommitStatusAsync(string transactionId, CancellationToken cancellationToken = default) =>
        NewCommit(transactionId).GetStatusAsync(cancellationToken);

    /// <summary>
    /// The block that holds a committed transaction, from the peer's own ledger (the query system chaincode qscc,
    /// GetBlockByTxID; the identity needs the channel's Readers policy), as a <see cref="TransactionProof"/>. Throws a
    /// <see cref="GatewayException"/> when the peer does not know the transaction (not committed yet) or cannot be
    /// reached, and <see cref="FormatException"/> when its answer is not a block that holds it.
    /// </summary>
    public async Task<TransactionProof> GetTransactionProofAsync(string transactionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        var block = await GetContract("qscc").EvaluateAsync("GetBlockByTxID", [Name, transactionId], cancellationToken).ConfigureAwait(false);
        return TransactionProof.FromBlock(block, transactionId);
    }

    /// <summary>
    /// A request for a chaincode's events, for offline signing or to read the events later. Resumes after the
    /// checkpoint if one is given and not empty, else starts at the start block, else at the next committed block.
    /// </summary>
    public ChaincodeEventsRequest NewChaincodeEventsRequest(string chaincodeName, ChaincodeEventsOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chaincodeName);
        options ??= new ChaincodeEventsOptions();
        var request = new Protos.Gateway.ChaincodeEventsRequest
        {
            ChannelId = Name,
            ChaincodeId = chaincodeName,
            Identity = ByteString.CopyFrom(Gateway.Identity.Serialize()),
            StartPosition = new SeekPosition { NextCommit = new SeekNextCommit() },
        };
        var checkpoint = options.Checkpoint;
        if (checkpoint is not null && (checkpoint.BlockNumber != 0 || !string.IsNullOrEmpty(checkpoint.TransactionId)))
        {
            request.StartPosition = new SeekPosition { Specified = new SeekSpecified { Number = checkpoint.BlockNumber } };
            request.AfterTransactionId = checkpoint.TransactionId ?? string.Empty;
        }
        else if (options.StartBlock is { } startBlock)
        {
            request.StartPosition = new SeekPosition { Specified = new SeekSpecified { Number = startBlock } };
        }

        return ChaincodeEventsRequest.FromSignedRequest(
            Gateway, new SignedChaincodeEventsRequest { Request = request.ToByteString() });
    }

    /// <summary>
    /// Streams a chaincode's events until cancelled or the connection fails (then <see cref="GatewayException"/> with
    /// step <see cref="GatewayStep.ChaincodeEvents"/>). Checkpoint each event after processing it to resume exactly after it.
    /// </summary>
    public async IAsyncEnumerable<ChaincodeEvent> ChaincodeEventsAsync(
        string chaincodeName,
        ChaincodeEventsOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = NewChaincodeEventsRequest(chaincodeName, options);
        await foreach (var chaincodeEvent in request.GetEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return chaincodeEvent;
        }
    }
}
