using System.Text;
using Provenance.Fabric.Tests.Support;

namespace Provenance.Fabric.Tests;

public sealed class GatewayRoundTripTests
{
    [Fact]
    public async Task Submit_then_evaluate_reads_back_the_value_through_a_peer_that_checks_everything()
    {
        await using var env = await FabricTestEnvironment.StartAsync();

        var result = await env.Contract.SubmitAsync("put", ["sensor-1", "sealed"]);
        var read = await env.Contract.EvaluateAsync("get", ["sensor-1"]);

        Assert.Equal("sealed", Encoding.UTF8.GetString(result));
        Assert.Equal("sealed", Encoding.UTF8.GetString(read));
        var invocations = env.Peer.Invocations.ToArray();
        Assert.Equal(2, invocations.Length);
        Assert.Equal(("put", FakeGatewayPeer.ChaincodeName, FakeGatewayPeer.ChannelName, "Org1MSP"),
            (invocations[0].Function, invocations[0].ChaincodeName, invocations[0].ChannelId, invocations[0].MspId));
        Assert.Equal(["sensor-1", "sealed"], invocations[0].Arguments.Select(Encoding.UTF8.GetString));
        Assert.Equal(1, env.Peer.Faults.Calls(GatewayStep.Submit));
        Assert.Equal(1, env.Peer.Faults.Calls(GatewayStep.CommitStatus));
    }

    [Fact]
    public async Task A_contract_name_prefixes_the_function_as_Contract_colon_Function()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        var contract = env.Network.GetContract(FakeGatewayPeer.ChaincodeName, "KvContract");

        await contract.SubmitAsync("put", ["k", "v"]);

        Assert.Equal("KvContract:put", env.Peer.Invocations.Single().Function);
    }

    [Fact]
    public async Task SubmitAsyncNoWait_returns_the_result_and_a_commit_whose_status_is_valid_with_its_block()
    {
        await using var env = await FabricTestEnvironment.StartAsync();

        var submitted = await env.Contract.SubmitAsyncNoWait("put", ProposalOptions.WithArguments("k", "v1"));
        var status = await submitted.GetStatusAsync();

        Assert.Equal("v1", Encoding.UTF8.GetString(submitted.Result.Span));
        Assert.True(status.Successful);
        Assert.Equal("VALID", status.CodeName);
        Assert.Equal(submitted.TransactionId, status.TransactionId);
        Assert.Equal(1UL, status.BlockNumber);
    }

    [Fact]
    public async Task The_step_by_step_flow_keeps_one_transaction_id_from_proposal_to_commit()
    {
        await using var env = await FabricTestEnvironment.StartAsync();

        var proposal = env.Contract.NewProposal("put", ProposalOptions.WithArguments("k", "v"));
        var transaction = await proposal.EndorseAsync();
        var commit = await transaction.SubmitAsync();
        var status = await commit.GetStatusAsync();

        Assert.Matches("^[0-9a-f]{64}$", proposal.TransactionId);
        Assert.Equal(proposal.TransactionId, transaction.TransactionId);
        Assert.Equal(proposal.TransactionId, commit.TransactionId);
        Assert.Equal(proposal.TransactionId, env.Peer.Invocations.Single().TransactionId);
        Assert.True(status.Successful);
    }

    [Fact]
    public async Task The_commit_status_of_any_transaction_can_be_queried_by_id_after_an_ambiguous_failure()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        var transaction = await env.Contract.NewProposal("put", ProposalOptions.WithArguments("k", "v")).EndorseAsync();
        await transaction.SubmitAsync();

        var status = await env.Network.GetCommitStatusAsync(transaction.TransactionId);

        Assert.True(status.Successful);
        Assert.Equal(transaction.TransactionId, status.TransactionId);
    }

    [Fact]
    public async Task Each_proposal_gets_a_fresh_transaction_id()
    {
        await using var env = await FabricTestEnvironment.StartAsync();

        var ids = Enumerable.Range(0, 50).Select(_ => env.Contract.NewProposal("get", ProposalOptions.WithArguments("k")).TransactionId).ToHashSet();

        Assert.Equal(50, ids.Count);
    }

    [Fact]
    public void The_generated_service_uses_Fabric_package_names_so_method_paths_match()
    {
        Assert.Equal("gateway.Gateway", Protos.Gateway.GatewayReflection.Descriptor.Services.Single().FullName);
        Assert.Equal("protos.SignedProposal", Protos.Peer.SignedProposal.Descriptor.FullName);
        Assert.Equal("common.Envelope", Protos.Common.Envelope.Descriptor.FullName);
        Assert.Equal("msp.SerializedIdentity", Protos.Msp.SerializedIdentity.Descriptor.FullName);
        Assert.Equal("orderer.SeekPosition", Protos.Orderer.SeekPosition.Descriptor.FullName);
        Assert.Equal("google.rpc.Status", Protos.Rpc.Status.Descriptor.FullName);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_setting_named()
    {
        var options = new GatewayOptions { SubmitTimeout = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("SubmitTimeout", error.Message, StringComparison.Ordinal);
    }
}
