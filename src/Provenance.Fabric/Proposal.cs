using Google.Protobuf;
using Provenance.Fabric.Internal;
using Provenance.Fabric.Protos.Gateway;

namespace Provenance.Fabric;

/// <summary>
/// A transaction proposal: evaluate it (query) or endorse it into a <see cref="Transaction"/>. Signed with the
/// gateway's signer on first use, or offline: sign <see cref="GetDigest"/>, then
/// <see cref="Gateway.NewSignedProposal"/>. Not thread-safe: drive one proposal from one flow at a time.
/// </summary>
public sealed class Proposal
{
    private readonly Gateway _gateway;
    private readonly ProposedTransaction _proposed;

    private Proposal(Gateway gateway, string channelName, ProposedTransaction proposed)
    {
        _gateway = gateway;
        ChannelName = channelName;
        _proposed = proposed;
    }

    /// <summary>The transaction id: <c>hex(SHA-256(nonce ‖ creator))</c>.</summary>
    public string TransactionId => _proposed.TransactionId;

    /// <summary>The channel.</summary>
    public string ChannelName { get; }

    /// <summary>The serialised proposal (and its signature, if signed), to sign offline or store.</summary>
    public byte[] GetBytes() => _proposed.ToByteArray();

    /// <summary>The digest to sign: the gateway's hash of the exact proposal bytes.</summary>
    public byte[] GetDigest() => _gateway.Hash(_proposed.Proposal.ProposalBytes.Span);

    /// <summary>Evaluates the proposal on a peer and returns the chaincode's result.</summary>
    public async Task<byte[]> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        await SignAsync(cancellationToken).ConfigureAwait(false);
        var request = new EvaluateRequest
        {
            TransactionId = TransactionId,
            ChannelId = ChannelName,
            ProposedTransaction = _proposed.Proposal,
        };
        request.TargetOrganizations.AddRange(_proposed.EndorsingOrganizations);
        var response = await _gateway.Rpc.CallAsync(
            GatewayStep.Evaluate, TransactionId, ChannelName, options => _gateway.Rpc.Client.EvaluateAsync(request, options), cancellationToken)
            .ConfigureAwait(false);
        return response.Result?.Payload.ToByteArray() ?? [];
    }

    /// <summary>Collects endorsements; returns the endorsed transaction, ready to submit.</summary>
    public async Task<Transaction> EndorseAsync(CancellationToken cancellationToken = default)
    {
        await SignAsync(cancellationToken).ConfigureAwait(false);
        var request = new EndorseRequest
        {
            TransactionId = TransactionId,
            ChannelId = ChannelName,
            ProposedTransaction = _proposed.Proposal,
        };
        request.EndorsingOrganizations.AddRange(_proposed.EndorsingOrganizations);
        var response = await _gateway.Rpc.CallAsync(
            GatewayStep.Endorse, TransactionId, ChannelName, options => _gateway.Rpc.Client.EndorseAsync(request, options), cancellationToken)
            .ConfigureAwait(false);
        var prepared = new PreparedTransaction { TransactionId = TransactionId, Envelope = response.PreparedTransaction };
        try
        {
            return new Transaction(_gateway, prepared);
        }
        catch (FormatException ex)
        {
            throw new EndorseException(
                $"Endorse returned an unusable transaction for {TransactionId} on channel '{ChannelName}': {ex.Message}",
                TransactionId,
                null,
                [],
                ex);
        }
    }

    internal static Proposal FromProposedTransaction(Gateway gateway, ProposedTransaction proposed)
    {
        if (proposed.Proposal is null)
        {
            throw new ArgumentException("The proposed transaction holds no proposal.", nameof(proposed));
        }

        return new Proposal(gateway, TransactionParser.ChannelOfProposal(proposed.Proposal.ProposalBytes), proposed);
    }

    internal void SetSignature(byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        _proposed.Proposal.Signature = ByteString.CopyFrom(signature);
    }

    private async Task SignAsync(CancellationToken cancellationToken)
    {
        if (_proposed.Proposal.Signature.IsEmpty)
        {
            _proposed.Proposal.Signature = await _gateway.SignAsync(GetDigest(), cancellationToken).ConfigureAwait(false);
        }
    }
}
