using Grpc.Core;
using Provenance.Fabric.Tests.Support;

namespace Provenance.Fabric.Tests;

public sealed class ErrorMappingTests
{
    private static readonly ErrorDetail Peer0 = new("peer0.org1.example.com:7051", "Org1MSP", "chaincode response 500, boom");
    private static readonly ErrorDetail Peer1 = new("peer0.org2.example.com:9051", "Org2MSP", "endorsement policy not satisfied");
    private static readonly ErrorDetail Orderer = new("orderer.example.com:7050", "OrdererMSP", "SERVICE_UNAVAILABLE");

    [Fact]
    public async Task An_endorse_failure_carries_the_transaction_id_status_and_every_failing_peer()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        env.Peer.Faults.Fail(GatewayStep.Endorse, StatusCode.FailedPrecondition, "failed to collect enough transaction endorsements", [Peer0, Peer1]);
        var proposal = env.Contract.NewProposal("put", ProposalOptions.WithArguments("k", "v"));

        var error = await Assert.ThrowsAsync<EndorseException>(() => proposal.EndorseAsync());

        Assert.Equal(GatewayStep.Endorse, error.Step);
        Assert.Equal(proposal.TransactionId, error.TransactionId);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal([Peer0, Peer1], error.Details);
        Assert.False(error.IsTransient);
        Assert.Contains(proposal.TransactionId, error.Message, StringComparison.Ordinal);
        Assert.Contains("peer0.org2.example.com:9051 (Org2MSP): endorsement policy not satisfied", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, env.Peer.Faults.Calls(GatewayStep.Endorse));
    }

    [Fact]
    public async Task A_chaincode_error_on_evaluate_names_the_peer_and_its_message()
    {
        await using var env = await FabricTestEnvironment.StartAsync();

        var error = await Assert.ThrowsAsync<GatewayException>(() => env.Contract.EvaluateAsync("get", ["missing"]));

        Assert.Equal(GatewayStep.Evaluate, error.Step);
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        var detail = Assert.Single(error.Details);
        Assert.Equal((FakeGatewayPeer.PeerAddress, FakeGatewayPeer.PeerMspId), (detail.Address, detail.MspId));
        Assert.Contains("key not found: missing", detail.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submit_failure_is_a_transient_SubmitException_that_is_never_retried_automatically()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        env.Peer.Faults.Fail(GatewayStep.Submit, StatusCode.Unavailable, "failed to send transaction to orderer", [Orderer]);
        var transaction = await env.Contract.NewProposal("put", ProposalOptions.WithArguments("k", "v")).EndorseAsync();

        var error = await Assert.ThrowsAsync<SubmitException>(() => transaction.SubmitAsync());

        Assert.Equal(transaction.TransactionId, error.TransactionId);
        Assert.True(error.IsTransient);
        Assert.Equal(Orderer, Assert.Single(error.Details));
        Assert.Equal(1, env.Peer.Faults.Calls(GatewayStep.Submit));
    }

    [Fact]
    public async Task A_commit_status_failure_is_a_CommitStatusException_with_the_transaction_id()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        env.Peer.Faults.Fail(GatewayStep.CommitStatus, StatusCode.PermissionDenied, "access denied", [Peer0]);

        var error = await Assert.ThrowsAsync<CommitStatusException>(() => env.Contract.SubmitAsync("put", ["k", "v"]));

        Assert.Matches("^[0-9a-f]{64}$", error.TransactionId);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Equal(Peer0, Assert.Single(error.Details));
    }

    [Fact]
    public async Task Two_writes_endorsed_against_the_same_version_make_the_second_an_MVCC_read_conflict()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        var first = await env.Contract.NewProposal("put", ProposalOptions.WithArguments("k", "a")).EndorseAsync();
        var second = await env.Contract.NewProposal("put", ProposalOptions.WithArguments("k", "b")).EndorseAsync();
        await (await first.SubmitAsync()).GetStatusAsync();
        var commit = await second.SubmitAsync();

        var status = await commit.GetStatusAsync();

        Assert.False(status.Successful);
        Assert.Equal(TxValidationCode.MvccReadConflict, status.Code);
        Assert.Equal("MVCC_READ_CONFLICT", status.CodeName);
    }

    [Fact]
    public async Task SubmitAsync_throws_CommitException_naming_the_validation_code_when_committed_invalid()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        env.Peer.Ledger.ForceNextValidationCode(TxValidationCode.MvccReadConflict);

        var error = await Assert.ThrowsAsync<CommitException>(() => env.Contract.SubmitAsync("put", ["k", "v"]));

        Assert.Equal(TxValidationCode.MvccReadConflict, error.Code);
        Assert.Equal("MVCC_READ_CONFLICT", error.ValidationCodeName);
        Assert.Equal(GatewayStep.Commit, error.Step);
        Assert.Equal(1UL, error.Status.BlockNumber);
        Assert.Contains("MVCC_READ_CONFLICT", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.TransactionId!, error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
        Assert.Null(env.Peer.Ledger.Read("k").Value);
    }

    [Fact]
    public async Task Transient_endorse_failures_are_retried_with_the_same_transaction_until_one_succeeds()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        env.Peer.Faults.Fail(GatewayStep.Endorse, StatusCode.Unavailable, "peer restarting", [Peer0], times: 2);

        await env.Contract.SubmitAsync("put", ["k", "v"]);

        Assert.Equal(3, env.Peer.Faults.Calls(GatewayStep.Endorse));
        Assert.Single(env.Peer.Invocations.Select(i => i.TransactionId).Distinct());
    }

    [Fact]
    public async Task When_retries_run_out_the_last_transient_error_is_thrown()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        env.Peer.Faults.Fail(GatewayStep.Evaluate, StatusCode.ResourceExhausted, "too many requests", [Peer0], times: 3);

        var error = await Assert.ThrowsAsync<GatewayException>(() => env.Contract.EvaluateAsync("get", ["k"]));

        Assert.True(error.IsTransient);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(3, env.Peer.Faults.Calls(GatewayStep.Evaluate));
    }

    [Fact]
    public async Task A_high_S_signature_is_denied_by_the_peer_like_a_real_one()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        var highS = SignatureTestHelpers.HighSSigner(env.Credentials.Key);
        var gateway = new Gateway(env.Channel, env.Credentials.Identity, highS, FabricTestEnvironment.FastOptions());
        var contract = gateway.GetNetwork(FakeGatewayPeer.ChannelName).GetContract(FakeGatewayPeer.ChaincodeName);

        var error = await Assert.ThrowsAsync<GatewayException>(() => contract.EvaluateAsync("get", ["k"]));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("access denied", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task An_unknown_channel_fails_with_NotFound()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        var contract = env.Gateway.GetNetwork("nope").GetContract(FakeGatewayPeer.ChaincodeName);

        var error = await Assert.ThrowsAsync<EndorseException>(() => contract.SubmitAsync("put", ["k", "v"]));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }
}
