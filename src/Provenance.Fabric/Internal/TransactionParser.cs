using Google.Protobuf;
using Provenance.Fabric.Protos.Common;
using Provenance.Fabric.Protos.Peer;

namespace Provenance.Fabric.Internal;

/// <summary>Reads the channel name and chaincode result out of a prepared transaction envelope. Stateless.</summary>
internal static class TransactionParser
{
    /// <exception cref="FormatException">The envelope is not an endorsed chaincode transaction.</exception>
    public static (string ChannelName, byte[] Result) Parse(Envelope envelope)
    {
        try
        {
            var payload = Payload.Parser.ParseFrom(envelope.Payload);
            var channelHeader = ChannelHeader.Parser.ParseFrom(payload.Header?.ChannelHeader ?? ByteString.Empty);
            var transaction = Protos.Peer.Transaction.Parser.ParseFrom(payload.Data);
            foreach (var action in transaction.Actions)
            {
                var actionPayload = ChaincodeActionPayload.Parser.ParseFrom(action.Payload);
                if (actionPayload.Action is null)
                {
                    continue;
                }

                var responsePayload = ProposalResponsePayload.Parser.ParseFrom(actionPayload.Action.ProposalResponsePayload);
                var chaincodeAction = ChaincodeAction.Parser.ParseFrom(responsePayload.Extension);
                return (channelHeader.ChannelId, chaincodeAction.Response?.Payload.ToByteArray() ?? []);
            }

            throw new FormatException("The prepared transaction holds no chaincode action with a proposal response.");
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException($"The prepared transaction envelope is malformed: {ex.Message}", ex);
        }
    }

    /// <summary>The channel id in a serialised proposal's channel header.</summary>
    public static string ChannelOfProposal(ByteString proposalBytes)
    {
        try
        {
            var proposal = Protos.Peer.Proposal.Parser.ParseFrom(proposalBytes);
            var header = Header.Parser.ParseFrom(proposal.Header);
            return ChannelHeader.Parser.ParseFrom(header.ChannelHeader).ChannelId;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException($"The proposal is malformed: {ex.Message}", ex);
        }
    }
}
