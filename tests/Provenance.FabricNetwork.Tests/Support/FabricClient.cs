using Provenance.Fabric;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using Provenance.FabricNetwork.Tests.Protos;
using FabricProtos = Provenance.Fabric.Protos;

namespace Provenance.FabricNetwork.Tests.Support;

/// <summary>
/// Our C# Fabric client connected to one peer as one cryptogen identity, with the queries the tests check the chain
/// with: the provenance chaincode's records, and blocks from the peer's own query system chaincode (qscc).
/// </summary>
public sealed class FabricClient : IDisposable
{
    private readonly GrpcChannel _channel;

    private FabricClient(GrpcChannel channel, ECDsa key, Gateway gateway)
    {
        _channel = channel;
        Key = key;
        Gateway = gateway;
        Network = gateway.GetNetwork(LocalFabricNetwork.Channel);
        Contract = Network.GetContract(LocalFabricNetwork.Chaincode);
    }

    public ECDsa Key { get; }

    public Gateway Gateway { get; }

    public Network Network { get; }

    public Contract Contract { get; }

    public static FabricClient Open(string endpoint, string tlsCaPath, string mspId, (string Certificate, string Key) identity, bool withSigner = true)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(identity.Key));
        var tls = new FabricTlsOptions { RootCertificates = FabricTlsOptions.LoadRootCertificates(File.ReadAllText(tlsCaPath)) };
        var channel = FabricChannelFactory.Create(new Uri(endpoint), tls);
        var gateway = new Gateway(channel, Identity.FromPem(mspId, File.ReadAllText(identity.Certificate)), withSigner ? Signers.NewPrivateKeySigner(key) : null);
        return new FabricClient(channel, key, gateway);
    }

    /// <summary>The chain's record of a tag (GetTagRecord), or null.</summary>
    public async Task<JsonElement?> TagRecordAsync(string gtin, string serial)
    {
        var json = JsonDocument.Parse(await Contract.EvaluateAsync("GetTagRecord", [gtin, serial])).RootElement;
        return json.ValueKind == JsonValueKind.Object ? json.Clone() : null;
    }

    /// <summary>How many versions of a tag's record the chain holds (GetTagHistory): 1 for a seal recorded once.</summary>
    public async Task<int> TagVersionsAsync(string gtin, string serial) =>
        JsonDocument.Parse(await Contract.EvaluateAsync("GetTagHistory", [gtin, serial])).RootElement.GetArrayLength();

    /// <summary>The peer's ledger height (qscc GetChainInfo).</summary>
    public async Task<ulong> HeightAsync() =>
        BlockchainInfo.Parser.ParseFrom(await Network.GetContract("qscc").EvaluateAsync("GetChainInfo", [LocalFabricNetwork.Channel])).Height;

    /// <summary>The block holding a transaction, from the peer's own ledger (qscc GetBlockByTxID).</summary>
    public async Task<PeerBlock> BlockOfTransactionAsync(string transactionId) =>
        PeerBlock.Parse(await Network.GetContract("qscc").EvaluateAsync("GetBlockByTxID", [LocalFabricNetwork.Channel, transactionId]));

    public void Dispose()
    {
        _channel.Dispose();
        Key.Dispose();
    }
}

/// <summary>A block as the peer stores it: its number, whether its data hash matches its transactions, and the transactions.</summary>
public sealed record PeerBlock(ulong Number, bool DataHashMatches, IReadOnlyList<BlockTransaction> Transactions, int SizeBytes)
{
    internal static PeerBlock Parse(byte[] bytes)
    {
        var block = Block.Parser.ParseFrom(bytes);
        var joined = block.Data.Data.SelectMany(d => d.ToByteArray()).ToArray();
        var matches = SHA256.HashData(joined).AsSpan().SequenceEqual(block.Header.DataHash.Span);
        return new PeerBlock(block.Header.Number, matches, [.. block.Data.Data.Select(d => BlockTransaction.Parse(d.ToByteArray()))], bytes.Length);
    }
}

/// <summary>One transaction of a block: its id, the MSPs of the peers that endorsed it, and its chaincode event.</summary>
public sealed record BlockTransaction(string TransactionId, IReadOnlyList<string> EndorserMspIds, string? EventName, string? EventPayload)
{
    internal static BlockTransaction Parse(byte[] envelopeBytes)
    {
        var envelope = FabricProtos.Common.Envelope.Parser.ParseFrom(envelopeBytes);
        var payload = FabricProtos.Common.Payload.Parser.ParseFrom(envelope.Payload);
        var header = FabricProtos.Common.ChannelHeader.Parser.ParseFrom(payload.Header.ChannelHeader);
        if (header.Type != (int)FabricProtos.Common.HeaderType.EndorserTransaction)
        {
            return new BlockTransaction(header.TxId, [], null, null);
        }

        var transaction = FabricProtos.Peer.Transaction.Parser.ParseFrom(payload.Data);
        var action = FabricProtos.Peer.ChaincodeActionPayload.Parser.ParseFrom(transaction.Actions[0].Payload).Action;
        var endorsers = action.Endorsements.Select(e => FabricProtos.Msp.SerializedIdentity.Parser.ParseFrom(e.Endorser).Mspid).ToList();
        var response = FabricProtos.Peer.ProposalResponsePayload.Parser.ParseFrom(action.ProposalResponsePayload);
        var chaincodeAction = FabricProtos.Peer.ChaincodeAction.Parser.ParseFrom(response.Extension);
        var chaincodeEvent = chaincodeAction.Events.IsEmpty ? null : FabricProtos.Peer.ChaincodeEvent.Parser.ParseFrom(chaincodeAction.Events);
        return new BlockTransaction(
            header.TxId, endorsers, string.IsNullOrEmpty(chaincodeEvent?.EventName) ? null : chaincodeEvent.EventName,
            chaincodeEvent is null ? null : Encoding.UTF8.GetString(chaincodeEvent.Payload.Span));
    }
}
