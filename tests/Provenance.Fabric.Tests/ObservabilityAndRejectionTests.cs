using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Provenance.Fabric.Tests.Support;

namespace Provenance.Fabric.Tests;

public sealed class ObservabilityAndRejectionTests
{
    [Fact]
    public async Task Each_step_is_traced_by_the_Provenance_Fabric_ActivitySource_with_the_transaction_id()
    {
        var seen = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Provenance.Fabric",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = seen.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var env = await FabricTestEnvironment.StartAsync();

        var submitted = await env.Contract.SubmitAsyncNoWait("put", ProposalOptions.WithArguments("k", "v"));
        await submitted.GetStatusAsync();

        var mine = seen.Where(a => (string?)a.GetTagItem("fabric.transaction_id") == submitted.TransactionId).Select(a => a.DisplayName).ToHashSet();
        Assert.Equal(["Fabric CommitStatus", "Fabric Endorse", "Fabric Submit"], mine.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failing_event_stream_is_a_GatewayException_for_the_ChaincodeEvents_step()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        env.Peer.Faults.Fail(GatewayStep.ChaincodeEvents, StatusCode.Unavailable, "peer shutting down", []);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<GatewayException>(async () =>
        {
            await foreach (var _ in env.Network.ChaincodeEventsAsync(FakeGatewayPeer.ChaincodeName, cancellationToken: cts.Token))
            {
            }
        });

        Assert.Equal(GatewayStep.ChaincodeEvents, error.Step);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task The_fake_peer_denies_an_identity_it_does_not_know()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        using var stranger = TestCredentials.Create("Org3MSP", "Mallory");
        var contract = new Gateway(env.Channel, stranger.Identity, stranger.Signer, FabricTestEnvironment.FastOptions())
            .GetNetwork(FakeGatewayPeer.ChannelName).GetContract(FakeGatewayPeer.ChaincodeName);

        var error = await Assert.ThrowsAsync<EndorseException>(() => contract.SubmitAsync("put", ["k", "v"]));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Empty(env.Peer.Invocations);
    }

    [Fact]
    public async Task The_fake_peer_denies_a_proposal_signed_with_a_different_key()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        using var other = TestCredentials.Create();
        var contract = new Gateway(env.Channel, env.Credentials.Identity, other.Signer, FabricTestEnvironment.FastOptions())
            .GetNetwork(FakeGatewayPeer.ChannelName).GetContract(FakeGatewayPeer.ChaincodeName);

        var error = await Assert.ThrowsAsync<GatewayException>(() => contract.EvaluateAsync("get", ["k"]));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
