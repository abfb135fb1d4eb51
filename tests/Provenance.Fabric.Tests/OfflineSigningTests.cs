using System.Text;
using Provenance.Fabric.Tests.Support;

namespace Provenance.Fabric.Tests;

public sealed class OfflineSigningTests
{
    [Fact]
    public async Task Proposal_transaction_and_commit_signed_offline_from_their_bytes_and_digests_go_through()
    {
        await using var env = await FabricTestEnvironment.StartAsync(withSigner: false);
        var sign = env.Credentials.Signer;

        var unsigned = env.Contract.NewProposal("put", ProposalOptions.WithArguments("k", "offline"));
        var proposal = env.Gateway.NewSignedProposal(unsigned.GetBytes(), await sign(unsigned.GetDigest(), default));
        var unsignedTransaction = await proposal.EndorseAsync();
        var transaction = env.Gateway.NewSignedTransaction(
            unsignedTransaction.GetBytes(), await sign(unsignedTransaction.GetDigest(), default));
        var unsignedCommit = await transaction.SubmitAsync();
        var commit = env.Gateway.NewSignedCommit(unsignedCommit.GetBytes(), await sign(unsignedCommit.GetDigest(), default));
        var status = await commit.GetStatusAsync();

        Assert.Equal(unsigned.TransactionId, proposal.TransactionId);
        Assert.Equal(unsigned.TransactionId, transaction.TransactionId);
        Assert.Equal("offline", Encoding.UTF8.GetString(transaction.Result.Span));
        Assert.Equal(unsigned.TransactionId, commit.TransactionId);
        Assert.True(status.Successful);
    }

    [Fact]
    public async Task A_chaincode_events_request_signed_offline_streams_events()
    {
        await using var env = await FabricTestEnvironment.StartAsync(withSigner: false);
        var sign = env.Credentials.Signer;
        var p = env.Contract.NewProposal("put", ProposalOptions.WithArguments("k", "v"));
        var t = await env.Gateway.NewSignedProposal(p.GetBytes(), await sign(p.GetDigest(), default)).EndorseAsync();
        await env.Gateway.NewSignedTransaction(t.GetBytes(), await sign(t.GetDigest(), default)).SubmitAsync();

        var unsigned = env.Network.NewChaincodeEventsRequest(FakeGatewayPeer.ChaincodeName, new ChaincodeEventsOptions { StartBlock = 0 });
        var request = env.Gateway.NewSignedChaincodeEventsRequest(unsigned.GetBytes(), await sign(unsigned.GetDigest(), default));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = request.GetEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal(t.TransactionId, events.Current.TransactionId);
    }

    [Fact]
    public async Task Without_a_signer_an_unsigned_proposal_is_refused_before_anything_is_sent()
    {
        await using var env = await FabricTestEnvironment.StartAsync(withSigner: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => env.Contract.EvaluateAsync("get", ["k"]));

        Assert.Contains("NewSigned", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, env.Peer.Faults.Calls(GatewayStep.Evaluate));
    }

    [Fact]
    public async Task The_digest_is_the_configured_hash_of_the_exact_proposal_bytes()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        var proposal = env.Contract.NewProposal("get", ProposalOptions.WithArguments("k"));

        var proposed = Protos.Gateway.ProposedTransaction.Parser.ParseFrom(proposal.GetBytes());

        Assert.Equal(Hashes.Sha256(proposed.Proposal.ProposalBytes.Span), proposal.GetDigest());
        Assert.True(proposed.Proposal.Signature.IsEmpty);
    }
}
