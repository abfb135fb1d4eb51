using Google.Protobuf;
using Grpc.Core;
using Provenance.Fabric.Internal;
using Provenance.Fabric.Protos.Gateway;

namespace Provenance.Fabric;

/// <summary>
/// A connection to a Fabric Gateway peer for one client identity: the entry point to <see cref="Network"/>s, and the
/// place to rebuild proposals, transactions, commits and event requests signed offline. The gRPC channel is owned
/// by the caller (see <see cref="FabricChannelFactory"/>), who disposes it after the gateway is no longer used.
/// Thread-safe: share one gateway per identity.
/// </summary>
public sealed class Gateway
{
    private readonly Func<byte[], CancellationToken, Task<byte[]>>? _signer;
    private readonly CallInvoker _callInvoker;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly GatewayRpc _rpc;

    /// <summary>Creates a gateway.</summary>
    /// <param name="channel">The caller-owned gRPC channel to the gateway peer.</param>
    /// <param name="identity">The client identity.</param>
    /// <param name="signer">
    /// Signs a digest, returning an ASN.1 DER low-S signature (see <see cref="Signers"/>). Null for offline signing
    /// only: then every request must be signed with the <c>NewSigned…</c> methods.
    /// </param>
    /// <param name="options">Hash, timeouts and retries; validated here.</param>
    public Gateway(
        ChannelBase channel,
        Identity identity,
        Func<byte[], CancellationToken, Task<byte[]>>? signer = null,
        GatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(identity);
        Options = options ?? new GatewayOptions();
        Options.Validate();
        Identity = identity;
        _signer = signer;
        _callInvoker = channel.CreateCallInvoker();
        _rpc = new GatewayRpc(_callInvoker, Options, _time);
    }

    /// <summary>The client identity.</summary>
    public Identity Identity { get; }

    internal GatewayOptions Options { get; }

    internal GatewayRpc Rpc => _rpc;

    /// <summary>The clock for proposal timestamps, call deadlines and retry waits; the system clock unless a test sets one.</summary>
    internal TimeProvider TimeProvider
    {
        get => _time;
        init
        {
            _time = value;
            _rpc = new GatewayRpc(_callInvoker, Options, value);
        }
    }

    /// <summary>A Fabric channel (the ledger and its chaincodes).</summary>
    public Network GetNetwork(string channelName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelName);
        return new Network(this, channelName);
    }

    /// <summary>Rebuilds a proposal from <see cref="Proposal.GetBytes"/> and attaches its offline signature.</summary>
    public Proposal NewSignedProposal(byte[] bytes, byte[] signature)
    {
        var proposal = NewProposal(bytes);
        proposal.SetSignature(signature);
        return proposal;
    }

    /// <summary>Rebuilds a proposal from <see cref="Proposal.GetBytes"/>.</summary>
    public Proposal NewProposal(byte[] bytes) =>
        Proposal.FromProposedTransaction(this, Parse(ProposedTransaction.Parser, bytes, "proposal"));

    /// <summary>Rebuilds a transaction from <see cref="Transaction.GetBytes"/> and attaches its offline signature.</summary>
    public Transaction NewSignedTransaction(byte[] bytes, byte[] signature)
    {
        var transaction = NewTransaction(bytes);
        transaction.SetSignature(signature);
        return transaction;
    }

    /// <summary>Rebuilds a transaction from <see cref="Transaction.GetBytes"/>.</summary>
    public Transaction NewTransaction(byte[] bytes) =>
        new(this, Parse(PreparedTransaction.Parser, bytes, "transaction"));

    /// <summary>Rebuilds a commit from <see cref="Commit.GetBytes"/> and attaches its offline signature.</summary>
    public Commit NewSignedCommit(byte[] bytes, byte[] signature)
    {
        var commit = NewCommit(bytes);
        commit.SetSignature(signature);
        return commit;
    }

    /// <summary>Rebuilds a commit from <see cref="Commit.GetBytes"/>.</summary>
    public Commit NewCommit(byte[] bytes) =>
        Commit.FromSignedRequest(this, Parse(SignedCommitStatusRequest.Parser, bytes, "commit status request"));

    /// <summary>Rebuilds a chaincode events request from its bytes and attaches its offline signature.</summary>
    public ChaincodeEventsRequest NewSignedChaincodeEventsRequest(byte[] bytes, byte[] signature)
    {
        var request = NewChaincodeEventsRequest(bytes);
        request.SetSignature(signature);
        return request;
    }

    /// <summary>Rebuilds a chaincode events request from <see cref="ChaincodeEventsRequest.GetBytes"/>.</summary>
    public ChaincodeEventsRequest NewChaincodeEventsRequest(byte[] bytes) =>
        ChaincodeEventsRequest.FromSignedRequest(this, Parse(SignedChaincodeEventsRequest.Parser, bytes, "chaincode events request"));

    internal byte[] Hash(ReadOnlySpan<byte> message) => Options.Hash(message);

    internal async Task<ByteString> SignAsync(byte[] digest, CancellationToken cancellationToken)
    {
        if (_signer is null)
        {
            throw new InvalidOperationException(
                "This gateway has no signer: sign the digest offline and use the gateway's NewSigned… methods.");
        }

        var signature = await _signer(digest, cancellationToken).ConfigureAwait(false);
        return ByteString.CopyFrom(signature);
    }

    private static T Parse<T>(MessageParser<T> parser, byte[] bytes, string what)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ArgumentException($"The bytes are not a serialised {what}: {ex.Message}", nameof(bytes), ex);
        }
    }
}
