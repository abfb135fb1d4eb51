using Google.Protobuf;
using Provenance.Fabric.Protos.Gateway;

namespace Provenance.Fabric;

/// <summary>
/// A handle to a submitted transaction's commit status. Signed with the gateway's signer on first use, or offline:
/// sign <see cref="GetDigest"/>, then <see cref="Gateway.NewSignedCommit"/>. Not thread-safe until signed; once signed,
/// <see cref="GetStatusAsync"/> may be called concurrently.
/// </summary>
public class Commit
{
    private readonly Gateway _gateway;
    private readonly SignedCommitStatusRequest _signedRequest;

    private protected Commit(Commit other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _gateway = other._gateway;
        _signedRequest = other._signedRequest;
        TransactionId = other.TransactionId;
        ChannelName = other.ChannelName;
    }

    private Commit(Gateway gateway, string channelName, string transactionId, SignedCommitStatusRequest signedRequest)
    {
        _gateway = gateway;
        _signedRequest = signedRequest;
        TransactionId = transactionId;
        ChannelName = channelName;
    }

    /// <summary>The transaction id.</summary>
    public string TransactionId { get; }

    /// <summary>The channel.</summary>
    public string ChannelName { get; }

    /// <summary>The serialised signed commit-status request (signature included if signed).</summary>
    public byte[] GetBytes() => _signedRequest.ToByteArray();

    /// <summary>The digest to sign: the gateway's hash of the commit-status request bytes.</summary>
    public byte[] GetDigest() => _gateway.Hash(_signedRequest.Request.Span);

    /// <summary>
    /// Waits until the transaction is committed (up to the CommitStatus timeout) and returns its status, valid or
    /// not. Throws <see cref="CommitStatusException"/> if the status cannot be obtained.
    /// </summary>
    public async Task<CommitStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        if (_signedRequest.Signature.IsEmpty)
        {
            _signedRequest.Signature = await _gateway.SignAsync(GetDigest(), cancellationToken).ConfigureAwait(false);
        }

        var response = await _gateway.Rpc.CallAsync(
            GatewayStep.CommitStatus,
            TransactionId,
            ChannelName,
            options => _gateway.Rpc.Client.CommitStatusAsync(_signedRequest, options),
            cancellationToken).ConfigureAwait(false);
        return new CommitStatus(TransactionId, (TxValidationCode)(int)response.Result, response.BlockNumber);
    }

    internal static Commit Create(Gateway gateway, string channelName, string transactionId)
    {
        var request = new CommitStatusRequest
        {
            TransactionId = transactionId,
            ChannelId = channelName,
            Identity = ByteString.CopyFrom(gateway.Identity.Serialize()),
        };
        return new Commit(gateway, channelName, transactionId, new SignedCommitStatusRequest { Request = request.ToByteString() });
    }

    internal static Commit FromSignedRequest(Gateway gateway, SignedCommitStatusRequest signedRequest)
    {
        CommitStatusRequest request;
        try
        {
            request = CommitStatusRequest.Parser.ParseFrom(signedRequest.Request);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ArgumentException($"The commit status request is malformed: {ex.Message}", nameof(signedRequest), ex);
        }

        return new Commit(gateway, request.ChannelId, request.TransactionId, signedRequest);
    }

    internal void SetSignature(byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        _signedRequest.Signature = ByteString.CopyFrom(signature);
    }
}
