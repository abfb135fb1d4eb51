using Provenance.Fabric;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Provenance.FabricNetwork.Tests.Support;
using FabricProtos = Provenance.Fabric.Protos;

namespace Provenance.FabricNetwork.Tests;

/// <summary>Our C# Fabric Gateway client (src/Provenance.Fabric) against real Fabric 2.5 peers and orderer.</summary>
[Collection(FabricNetworkCollection.Name)]
public sealed class FabricClientTests(LocalFabricNetwork network)
{
    [FabricFact]
    public async Task The_client_evaluates_and_submits_and_RecordSeals_is_endorsed_by_both_organisations_peers()
    {
        using var admin = network.Connect("producer", "Admin");
        using var recorder = network.Connect("producer", "User1");
        using var gateway = new SignedSeals("gw-client");
        await gateway.RegisterAsync(admin);

        var onChain = JsonDocument.Parse(await recorder.Contract.EvaluateAsync("GetGateway", [gateway.GatewayId])).RootElement;
        Assert.Equal(gateway.GatewayId, onChain.GetProperty("gatewayId").GetString());
        Assert.Equal("active", onChain.GetProperty("status").GetString());

        var (batch, serials) = gateway.Batch(3);
        var submitted = await recorder.Contract.SubmitAsyncNoWait("RecordSeals", ProposalOptions.WithArguments(batch));
        var status = await submitted.GetStatusAsync();
        Assert.True(status.Successful, status.CodeName);
        Assert.Equal(serials.Select(s => $"{gateway.GatewayId}-{s}"), SignedSeals.Stored(submitted.Result.ToArray()));

        var block = await recorder.BlockOfTransactionAsync(submitted.TransactionId);
        Assert.Equal(status.BlockNumber, block.Number);
        Assert.True(block.DataHashMatches, "the block's data hash covers its transactions");
        var transaction = Assert.Single(block.Transactions, t => t.TransactionId == submitted.TransactionId);
        Assert.Equal(["DistributorMSP", "ProducerMSP"], transaction.EndorserMspIds.Order(StringComparer.Ordinal));
        Assert.Equal("SealsRecorded", transaction.EventName);
        Assert.Contains($"{gateway.GatewayId}-{serials[2]}", transaction.EventPayload, StringComparison.Ordinal);
        foreach (var serial in serials)
        {
            var record = await recorder.TagRecordAsync(SignedSeals.Gtin, serial);
            Assert.Equal(submitted.TransactionId, record!.Value.GetProperty("txId").GetString());
        }
    }

    [FabricFact]
    public async Task Chaincode_events_resume_exactly_after_the_file_checkpoint()
    {
        using var admin = network.Connect("producer", "Admin");
        using var recorder = network.Connect("producer", "User1");
        using var gateway = new SignedSeals("gw-events");
        await gateway.RegisterAsync(admin);
        var start = await recorder.HeightAsync();
        var transactions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var submitted = await recorder.Contract.SubmitAsyncNoWait("RecordSeals", ProposalOptions.WithArguments(gateway.Batch(2).Batch));
            Assert.True((await submitted.GetStatusAsync()).Successful);
            transactions.Add(submitted.TransactionId);
        }

        var checkpointPath = Path.Combine(network.NetworkDirectory, $"checkpoint-{Guid.NewGuid():N}.json");
        using (var checkpointer = await FileCheckpointer.OpenAsync(checkpointPath))
        {
            var first = await ReadOursAsync(recorder, new ChaincodeEventsOptions { StartBlock = start, Checkpoint = checkpointer }, gateway, 1, checkpointer);
            Assert.Equal([transactions[0]], first);
        }

        using (var resumed = await FileCheckpointer.OpenAsync(checkpointPath))
        {
            var rest = await ReadOursAsync(recorder, new ChaincodeEventsOptions { StartBlock = start, Checkpoint = resumed }, gateway, 2, resumed);
            Assert.Equal(transactions[1..], rest);
        }
    }

    [FabricFact]
    public async Task A_transaction_signed_offline_at_each_step_is_endorsed_ordered_and_committed()
    {
        using var admin = network.Connect("producer", "Admin");
        var (certificate, keyFile) = network.IdentityFiles("producer", "User1");
        using var offline = FabricClient.Open(network.PeerEndpoint(), network.TlsCaPath(), "ProducerMSP", (certificate, keyFile), withSigner: false);
        var sign = Signers.NewPrivateKeySigner(offline.Key);
        using var gateway = new SignedSeals("gw-offline");
        await gateway.RegisterAsync(admin);
        var (batch, serials) = gateway.Batch(1);

        var unsigned = offline.Contract.NewProposal("RecordSeals", ProposalOptions.WithArguments(batch));
        await Assert.ThrowsAsync<InvalidOperationException>(() => unsigned.EndorseAsync());
        var proposal = offline.Gateway.NewSignedProposal(unsigned.GetBytes(), await sign(unsigned.GetDigest(), default));
        var endorsed = await proposal.EndorseAsync();
        var transaction = offline.Gateway.NewSignedTransaction(endorsed.GetBytes(), await sign(endorsed.GetDigest(), default));
        var submitted = await transaction.SubmitAsync();
        var commit = offline.Gateway.NewSignedCommit(submitted.GetBytes(), await sign(submitted.GetDigest(), default));
        var status = await commit.GetStatusAsync();

        Assert.True(status.Successful, status.CodeName);
        Assert.Equal(proposal.TransactionId, (await admin.TagRecordAsync(SignedSeals.Gtin, serials[0]))!.Value.GetProperty("txId").GetString());
    }

    [FabricFact]
    public async Task The_peer_refuses_a_proposal_whose_transaction_id_is_not_derived_from_its_nonce_and_creator()
    {
        using var recorder = network.Connect("producer", "User1");
        var honest = recorder.Contract.NewProposal("GetGateway", ProposalOptions.WithArguments("gw-nobody"));
        var proposed = FabricProtos.Gateway.ProposedTransaction.Parser.ParseFrom(honest.GetBytes());
        var inner = FabricProtos.Peer.Proposal.Parser.ParseFrom(proposed.Proposal.ProposalBytes);
        var header = FabricProtos.Common.Header.Parser.ParseFrom(inner.Header);
        var channelHeader = FabricProtos.Common.ChannelHeader.Parser.ParseFrom(header.ChannelHeader);
        var forgedId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("forged")));
        channelHeader.TxId = forgedId;
        header.ChannelHeader = channelHeader.ToByteString();
        inner.Header = header.ToByteString();
        proposed.Proposal = new FabricProtos.Peer.SignedProposal { ProposalBytes = inner.ToByteString() };
        proposed.TransactionId = forgedId;
        var forged = recorder.Gateway.NewProposal(proposed.ToByteArray());

        var refusal = await Assert.ThrowsAnyAsync<GatewayException>(() => forged.EvaluateAsync());

        Assert.Contains("incorrectly computed txid", refusal.Message + string.Join(' ', refusal.Details.Select(d => d.Message)), StringComparison.Ordinal);
        Assert.Equal("null", Encoding.UTF8.GetString(await honest.EvaluateAsync()));
    }

    [FabricFact]
    public async Task Only_recorders_of_the_producer_organisation_record_seals_and_only_its_admins_manage_gateways()
    {
        using var admin = network.Connect("producer", "Admin");
        using var producerUser = network.Connect("producer", "User1");
        using var distributorUser = network.Connect("distributor", "User1");
        using var gateway = new SignedSeals("gw-acl");
        await gateway.RegisterAsync(admin);
        var (batch, serials) = gateway.Batch(1);

        var byDistributor = await Assert.ThrowsAsync<EndorseException>(() => distributorUser.Contract.SubmitAsync("RecordSeals", ProposalOptions.WithArguments(batch)));
        Assert.Contains(byDistributor.Details, d => d.Message.Contains("access denied: identities of MSP 'DistributorMSP' may not record seals", StringComparison.Ordinal));
        var byUser = await Assert.ThrowsAsync<EndorseException>(() => producerUser.Contract.SubmitAsync("RotateGatewayKey", [gateway.GatewayId, gateway.PublicKeyPem]));
        Assert.Contains(byUser.Details, d => d.Message.Contains("access denied: managing gateways needs", StringComparison.Ordinal));
        Assert.Null(await producerUser.TagRecordAsync(SignedSeals.Gtin, serials[0]));

        await producerUser.Contract.SubmitAsync("RecordSeals", ProposalOptions.WithArguments(batch));
        Assert.NotNull(await producerUser.TagRecordAsync(SignedSeals.Gtin, serials[0]));
    }

    /// <summary>Reads this gateway's SealsRecorded events, checkpointing each; returns their transaction ids once <paramref name="count"/> are read.</summary>
    private static async Task<List<string>> ReadOursAsync(FabricClient client, ChaincodeEventsOptions options, SignedSeals gateway, int count, FileCheckpointer checkpointer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<string>();
        await foreach (var e in client.Network.ChaincodeEventsAsync(LocalFabricNetwork.Chaincode, options, timeout.Token))
        {
            if (Encoding.UTF8.GetString(e.Payload.Span).Contains(gateway.GatewayId, StringComparison.Ordinal))
            {
                seen.Add(e.TransactionId);
            }

            await checkpointer.CheckpointChaincodeEventAsync(e);
            if (seen.Count == count)
            {
                break;
            }
        }

        return seen;
    }
}
