using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Provenance.Fabric.Protos.Common;
using Provenance.Fabric.Protos.Gateway;
using Provenance.Fabric.Protos.Peer;
using GatewayBase = Provenance.Fabric.Protos.Gateway.Gateway.GatewayBase;

namespace Provenance.Fabric.Tests.Support;

/// <summary>
/// The Fabric Gateway service of the fake peer: checks every request as a peer does (<see cref="PeerChecks"/>),
/// endorses from the peer's chaincode (by default the <see cref="ToyChaincode"/>) over the <see cref="ToyLedger"/>, orders and commits on submit,
/// answers commit status when the transaction commits, streams chaincode events, and applies the <see cref="FaultPlan"/>.
/// Thread-safe.
/// </summary>
internal sealed class FakeGatewayService(FakeGatewayPeer peer) : GatewayBase
{
    private readonly ECDsa _peerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public override async Task<EvaluateResponse> Evaluate(EvaluateRequest request, ServerCallContext context)
    {
        await peer.Faults.ApplyAsync(GatewayStep.Evaluate, context);
        var proposal = CheckProposal(request.ProposedTransaction, request.ChannelId, request.TransactionId);
        var simulation = peer.Chaincode(proposal, peer.Ledger.Read);
        if (simulation.Status >= 400)
        {
            throw FaultPlan.Error(
                StatusCode.Unknown,
                $"evaluate call to endorser returned error: chaincode response {simulation.Status}, {simulation.Message}",
                [PeerDetail($"chaincode response {simulation.Status}, {simulation.Message}")]);
        }

        return new EvaluateResponse
        {
            Result = new Response { Status = simulation.Status, Payload = ByteString.CopyFrom(simulation.Payload) },
        };
    }

    public override async Task<EndorseResponse> Endorse(EndorseRequest request, ServerCallContext context)
    {
        await peer.Faults.ApplyAsync(GatewayStep.Endorse, context);
        var proposal = CheckProposal(request.ProposedTransaction, request.ChannelId, request.TransactionId);
        var simulation = peer.Chaincode(proposal, peer.Ledger.Read);
        if (simulation.Status >= 400)
        {
            throw FaultPlan.Error(
                StatusCode.Aborted,
                "failed to endorse transaction, see attached details for more info",
                [PeerDetail($"chaincode response {simulation.Status}, {simulation.Message}")]);
        }

        var payload = BuildTransactionPayload(proposal, simulation);
        peer.Ledger.RecordEndorsement(proposal.TransactionId, payload, simulation, proposal.ChaincodeName);
        peer.Endorsements.Enqueue(proposal);
        return new EndorseResponse { PreparedTransaction = new Envelope { Payload = ByteString.CopyFrom(payload) } };
    }

    public override async Task<SubmitResponse> Submit(SubmitRequest request, ServerCallContext context)
    {
        await peer.Faults.ApplyAsync(GatewayStep.Submit, context);
        var envelope = request.PreparedTransaction;
        PeerChecks.Require(envelope is not null, "no prepared transaction");
        var payload = PeerChecks.Parse(Payload.Parser, envelope!.Payload, "payload");
        PeerChecks.Require(payload.Header is not null, "no payload header");
        var channelHeader = PeerChecks.Parse(ChannelHeader.Parser, payload.Header!.ChannelHeader, "channel header");
        var signatureHeader = PeerChecks.Parse(SignatureHeader.Parser, payload.Header.SignatureHeader, "signature header");
        PeerChecks.VerifySignature(signatureHeader.Creator, envelope.Payload.Span, envelope.Signature, peer.TrustedCertificates, "transaction envelope");
        PeerChecks.Require(channelHeader.TxId == request.TransactionId, "request transaction id differs from the envelope's");
        PeerChecks.Require(channelHeader.ChannelId == request.ChannelId, "request channel differs from the envelope's");
        if (peer.Faults.IsOrdering(request.TransactionId) || peer.Ledger.IsCommitted(request.TransactionId))
        {
            // As Fabric does: a transaction id sent again is ordered again, its copy is marked DUPLICATE_TXID, and the
            // commit status stays the first one's.
            await peer.Faults.ApplyAfterAsync(GatewayStep.Submit, context);
            return new SubmitResponse();
        }

        var endorsed = peer.Ledger.EndorsedPayload(request.TransactionId)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"transaction {request.TransactionId} was not endorsed here"));
        PeerChecks.Require(endorsed.AsSpan().SequenceEqual(envelope.Payload.Span), "the envelope payload differs from the endorsed one");
        if (peer.Faults.TakeLoss())
        {
            return new SubmitResponse();
        }

        if (peer.Faults.TakeDelay(request.TransactionId) is { } delay)
        {
            _ = CommitLaterAsync(request.TransactionId, delay);
            return new SubmitResponse();
        }

        peer.Ledger.Commit(request.TransactionId);
        await peer.Faults.ApplyAfterAsync(GatewayStep.Submit, context);
        return new SubmitResponse();
    }

    public override async Task<CommitStatusResponse> CommitStatus(SignedCommitStatusRequest request, ServerCallContext context)
    {
        await peer.Faults.ApplyAsync(GatewayStep.CommitStatus, context);
        var inner = PeerChecks.Parse(CommitStatusRequest.Parser, request.Request, "commit status request");
        PeerChecks.VerifySignature(inner.Identity, request.Request.Span, request.Signature, peer.TrustedCertificates, "commit status request");
        RequireChannel(inner.ChannelId);
        var (code, block) = await peer.Ledger.WaitForCommitAsync(inner.TransactionId, context.CancellationToken);
        return new CommitStatusResponse { Result = code, BlockNumber = block };
    }

    public override async Task ChaincodeEvents(
        SignedChaincodeEventsRequest request, IServerStreamWriter<ChaincodeEventsResponse> responseStream, ServerCallContext context)
    {
        await peer.Faults.ApplyAsync(GatewayStep.ChaincodeEvents, context);
        var inner = PeerChecks.Parse(Protos.Gateway.ChaincodeEventsRequest.Parser, request.Request, "chaincode events request");
        PeerChecks.VerifySignature(inner.Identity, request.Request.Span, request.Signature, peer.TrustedCertificates, "chaincode events request");
        RequireChannel(inner.ChannelId);
        var start = inner.StartPosition?.TypeCase switch
        {
            Protos.Orderer.SeekPosition.TypeOneofCase.Specified => inner.StartPosition.Specified.Number,
            Protos.Orderer.SeekPosition.TypeOneofCase.Oldest => 0UL,
            Protos.Orderer.SeekPosition.TypeOneofCase.Newest => peer.Ledger.Height - 1,
            _ => peer.Ledger.Height,
        };
        peer.EventRequests.Enqueue(inner);
        var next = start;
        try
        {
            while (!context.CancellationToken.IsCancellationRequested)
            {
                var (blocks, nextBlock) = peer.Ledger.BlocksFrom(next);
                foreach (var block in blocks)
                {
                    var transactions = block.Transactions.AsEnumerable();
                    if (block.Number == start && inner.AfterTransactionId.Length > 0
                        && block.Transactions.Any(t => t.TransactionId == inner.AfterTransactionId))
                    {
                        transactions = transactions.SkipWhile(t => t.TransactionId != inner.AfterTransactionId).Skip(1);
                    }

                    var response = new ChaincodeEventsResponse { BlockNumber = block.Number };
                    response.Events.AddRange(transactions
                        .Where(t => t.Event is not null && t.Event.ChaincodeId == inner.ChaincodeId)
                        .Select(t => t.Event!));
                    if (response.Events.Count > 0)
                    {
                        await responseStream.WriteAsync(response, context.CancellationToken);
                    }

                    next = block.Number + 1;
                }

                await nextBlock.WaitAsync(context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private async Task CommitLaterAsync(string transactionId, TimeSpan delay)
    {
        await Task.Delay(delay);
        peer.Ledger.Commit(transactionId);
        peer.Faults.Ordered(transactionId);
    }

    private CheckedProposal CheckProposal(SignedProposal? signed, string channelId, string transactionId)
    {
        PeerChecks.Require(signed is not null, "no proposed transaction");
        var proposal = PeerChecks.CheckProposal(signed!, channelId, transactionId, peer.TrustedCertificates, DateTimeOffset.UtcNow);
        RequireChannel(proposal.ChannelId);
        peer.Invocations.Enqueue(proposal);
        return proposal;
    }

    private void RequireChannel(string channelId)
    {
        if (channelId != FakeGatewayPeer.ChannelName)
        {
            throw FaultPlan.Error(StatusCode.NotFound, $"channel '{channelId}' not found", []);
        }
    }

    private ErrorDetail PeerDetail(string message) => new(FakeGatewayPeer.PeerAddress, FakeGatewayPeer.PeerMspId, message);

    private byte[] BuildTransactionPayload(CheckedProposal proposal, Simulation simulation)
    {
        var action = new ChaincodeAction
        {
            Results = ByteString.CopyFromUtf8(string.Join(",", simulation.Writes.Keys)),
            Response = new Response { Status = simulation.Status, Message = simulation.Message, Payload = ByteString.CopyFrom(simulation.Payload) },
            ChaincodeId = new ChaincodeID { Name = proposal.ChaincodeName },
        };
        if (simulation.Event is { } e)
        {
            action.Events = new Protos.Peer.ChaincodeEvent
            {
                ChaincodeId = proposal.ChaincodeName,
                TxId = proposal.TransactionId,
                EventName = e.Name,
                Payload = ByteString.CopyFrom(e.Payload),
            }.ToByteString();
        }

        var responsePayload = new ProposalResponsePayload
        {
            ProposalHash = ByteString.CopyFrom(SHA256.HashData(proposal.ProposalBytes.Span)),
            Extension = action.ToByteString(),
        }.ToByteString();
        var endorser = ByteString.CopyFromUtf8(FakeGatewayPeer.PeerAddress);
        var endorsement = new Endorsement
        {
            Endorser = endorser,
            Signature = ByteString.CopyFrom(_peerKey.SignData([.. responsePayload.Span, .. endorser.Span], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
        };
        var actionPayload = new ChaincodeActionPayload
        {
            ChaincodeProposalPayload = proposal.ProposalPayloadWithoutTransient,
            Action = new ChaincodeEndorsedAction { ProposalResponsePayload = responsePayload, Endorsements = { endorsement } },
        };
        var transaction = new Protos.Peer.Transaction
        {
            Actions = { new TransactionAction { Header = proposal.SignatureHeaderBytes, Payload = actionPayload.ToByteString() } },
        };
        return new Payload
        {
            Header = Header.Parser.ParseFrom(proposal.HeaderBytes),
            Data = transaction.ToByteString(),
        }.ToByteArray();
    }
}
