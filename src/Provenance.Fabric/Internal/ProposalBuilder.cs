using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Provenance.Fabric.Protos.Common;
using Provenance.Fabric.Protos.Gateway;
using Provenance.Fabric.Protos.Peer;

namespace Provenance.Fabric.Internal;

/// <summary>
/// Builds the unsigned <c>gateway.ProposedTransaction</c> for a chaincode invocation, byte for byte as fabric-gateway
/// does: ENDORSER_TRANSACTION channel header with the chaincode header extension, signature header (creator, nonce),
/// and a chaincode proposal payload whose invocation spec leaves the chaincode type UNDEFINED. Stateless.
/// </summary>
internal static class ProposalBuilder
{
    public static ProposedTransaction Build(
        byte[] creator,
        string channelName,
        string chaincodeName,
        string transactionName,
        ProposalOptions options,
        TimeProvider timeProvider)
    {
        var context = TransactionContext.Create(creator);

        var channelHeader = new ChannelHeader
        {
            Type = (int)HeaderType.EndorserTransaction,
            Timestamp = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            ChannelId = channelName,
            TxId = context.TransactionId,
            Epoch = 0,
            Extension = new ChaincodeHeaderExtension
            {
                ChaincodeId = new ChaincodeID { Name = chaincodeName },
            }.ToByteString(),
        };
        var signatureHeader = new SignatureHeader
        {
            Creator = ByteString.CopyFrom(context.Creator),
            Nonce = ByteString.CopyFrom(context.Nonce),
        };
        var header = new Header
        {
            ChannelHeader = channelHeader.ToByteString(),
            SignatureHeader = signatureHeader.ToByteString(),
        };

        var input = new ChaincodeInput();
        input.Args.Add(ByteString.CopyFromUtf8(transactionName));
        foreach (var argument in options.Arguments)
        {
            input.Args.Add(ByteString.CopyFrom(argument));
        }

        var invocation = new ChaincodeInvocationSpec
        {
            ChaincodeSpec = new ChaincodeSpec
            {
                ChaincodeId = new ChaincodeID { Name = chaincodeName },
                Input = input,
            },
        };
        var payload = new ChaincodeProposalPayload { Input = invocation.ToByteString() };
        foreach (var (key, value) in options.Transient)
        {
            payload.TransientMap.Add(key, ByteString.CopyFrom(value));
        }

        var proposal = new Protos.Peer.Proposal
        {
            Header = header.ToByteString(),
            Payload = payload.ToByteString(),
        };

        var result = new ProposedTransaction
        {
            TransactionId = context.TransactionId,
            Proposal = new SignedProposal { ProposalBytes = proposal.ToByteString() },
        };
        result.EndorsingOrganizations.AddRange(options.EndorsingOrganizations);
        return result;
    }
}
