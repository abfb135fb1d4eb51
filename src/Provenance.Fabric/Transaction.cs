using Google.Protobuf;
using Provenance.Fabric.Internal;
using Provenance.Fabric.Protos.Gateway;

namespace Provenance.Fabric;

/// <summary>
/// An endorsed transaction, ready to submit to the ordering service. Signed with the gateway's signer on submit, or
/// offline: sign <see cref="GetDigest"/>, then <see cref="Gateway.NewSignedTransaction"/>. Not thread-safe.
/// </summary>
public sealed class Transaction
{
    private readonly Gateway _gateway;
    private readonly PreparedTransaction _prepared;
    private readonly byte[] _result;

    internal Transaction(Gateway gateway, PreparedTransaction prepared)
    {
        if (prepared.Envelope is null)
        {
            throw new FormatException("The prepared transaction holds no envelope.");
        }

        _gateway = gateway;
        _prepared = prepared;
        (ChannelName, _result) = TransactionParser.Parse(prepared.Envelope);
    }

    /// <summary>The transaction id.</summary>
    public string TransactionId => _prepared.TransactionId;

    /// <summary>The channel.</summary>
    public string ChannelName { get; }

    /// <summary>The chaincode function's result, as endorsed.</summary>
    public ReadOnlyMemory<byte> Result => _result;

    /// <summary>The serialised transaction (and its signature, if signed), to sign offline or store.</summary>
    public byte[] GetBytes() => _prepared.ToByteArray();

    /// <summary>The digest to sign: the gateway's hash of the envelope payload.</summary>
    public byte[] GetDigest() => _gateway.Hash(_prepared.Envelope.Payload.Span);

    /// <summary>
    /// Sends the transaction to the ordering service; returns a handle to wait for its commit. A
    /// <see cref="SubmitException"/> is ambiguous: query the commit status by <see cref="TransactionId"/> before
    /// submitting again.
    /// </summary>
    public async Task<SubmittedTransaction> SubmitAsync(CancellationToken cancellationToken = default)
    {
        if (_prepared.Envelope.Signature.IsEmpty)
        {
            _prepared.Envelope.Signature = await _gateway.SignAsync(GetDigest(), cancellationToken).ConfigureAwait(false);
        }

        var request = new SubmitRequest
        {
            TransactionId = TransactionId,
            ChannelId = ChannelName,
            PreparedTransaction = _prepared.Envelope,
        };
        await _gateway.Rpc.CallAsync(
            GatewayStep.Submit, TransactionId, ChannelName, options => _gateway.Rpc.Client.SubmitAsync(request, options), cancellationToken)
            .ConfigureAwait(false);
        return new SubmittedTransaction(Commit.Create(_gateway, ChannelName, TransactionId), _result);
    }

    internal void SetSignature(byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        _prepared.Envelope.Signature = ByteString.CopyFrom(signature);
    }
}
