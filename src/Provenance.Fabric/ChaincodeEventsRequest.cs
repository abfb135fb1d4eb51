using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Provenance.Fabric.Internal;
using Provenance.Fabric.Protos.Gateway;

namespace Provenance.Fabric;

/// <summary>
/// A request to read a chaincode's events. Signed with the gateway's signer on first use, or offline: sign
/// <see cref="GetDigest"/>, then <see cref="Gateway.NewSignedChaincodeEventsRequest"/>. Not thread-safe until signed.
/// </summary>
public sealed class ChaincodeEventsRequest
{
    private readonly Gateway _gateway;
    private readonly SignedChaincodeEventsRequest _signedRequest;

    private ChaincodeEventsRequest(Gateway gateway, SignedChaincodeEventsRequest signedRequest, string channelName)
    {
        _gateway = gateway;
        _signedRequest = signedRequest;
        ChannelName = channelName;
    }

    /// <summary>The channel.</summary>
    public string ChannelName { get; }

    /// <summary>The serialised signed request (signature included if signed).</summary>
    public byte[] GetBytes() => _signedRequest.ToByteArray();

    /// <summary>The digest to sign: the gateway's hash of the request bytes.</summary>
    public byte[] GetDigest() => _gateway.Hash(_signedRequest.Request.Span);

    /// <summary>
    /// Streams the events until cancelled (the enumeration then ends with <see cref="OperationCanceledException"/>)
    /// or the stream fails (<see cref="GatewayException"/>, step <see cref="GatewayStep.ChaincodeEvents"/>).
    /// </summary>
    public async IAsyncEnumerable<ChaincodeEvent> GetEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_signedRequest.Signature.IsEmpty)
        {
            _signedRequest.Signature = await _gateway.SignAsync(GetDigest(), cancellationToken).ConfigureAwait(false);
        }

        using var call = _gateway.Rpc.Client.ChaincodeEvents(_signedRequest, new CallOptions(cancellationToken: cancellationToken));
        var stream = call.ResponseStream;
        while (true)
        {
            ChaincodeEventsResponse response;
            try
            {
                if (!await stream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    yield break;
                }

                response = stream.Current;
            }
            catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("Reading chaincode events was cancelled.", ex, cancellationToken);
            }
            catch (RpcException ex)
            {
                throw GatewayErrors.FromRpc(GatewayStep.ChaincodeEvents, null, ChannelName, ex);
            }

            foreach (var chaincodeEvent in response.Events)
            {
                FabricTelemetry.Events.Add(1);
                yield return new ChaincodeEvent(
                    response.BlockNumber,
                    chaincodeEvent.TxId,
                    chaincodeEvent.ChaincodeId,
                    chaincodeEvent.EventName,
                    chaincodeEvent.Payload.ToByteArray());
            }
        }
    }

    internal static ChaincodeEventsRequest FromSignedRequest(Gateway gateway, SignedChaincodeEventsRequest signedRequest)
    {
        string channelName;
        try
        {
            channelName = Protos.Gateway.ChaincodeEventsRequest.Parser.ParseFrom(signedRequest.Request).ChannelId;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ArgumentException($"The chaincode events request is malformed: {ex.Message}", nameof(signedRequest), ex);
        }

        return new ChaincodeEventsRequest(gateway, signedRequest, channelName);
    }

    internal void SetSignature(byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        _signedRequest.Signature = ByteString.CopyFrom(signature);
    }
}
