using Grpc.Core;
using Provenance.Fabric.Tests.Support;

namespace Provenance.Fabric.Tests;

public sealed class TimeoutTests
{
    [Fact]
    public async Task A_commit_status_that_outlives_its_timeout_is_a_transient_DeadlineExceeded_and_can_be_asked_again()
    {
        var options = FabricTestEnvironment.FastOptions();
        options.CommitStatusTimeout = TimeSpan.FromMilliseconds(300);
        options.MaxAttempts = 1;
        await using var env = await FabricTestEnvironment.StartAsync(options);
        env.Peer.Faults.Hang(GatewayStep.CommitStatus);

        var error = await Assert.ThrowsAsync<CommitStatusException>(() => env.Contract.SubmitAsync("put", ["k", "v"]));

        // Asked again, as a caller of a transient error would. The 300 ms deadline also binds these calls, and a loaded
        // machine missed it once in CI; a few asks are what "transient" promises (a hang that stayed would fail all).
        CommitStatus? status = null;
        for (var ask = 1; status is null; ask++)
        {
            try
            {
                status = await env.Network.GetCommitStatusAsync(error.TransactionId!);
            }
            catch (CommitStatusException again) when (again.IsTransient && ask < 5)
            {
            }
        }

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.True(status.Successful);
    }

    [Fact]
    public async Task An_endorsement_that_times_out_is_retried_and_then_succeeds()
    {
        var options = FabricTestEnvironment.FastOptions();
        // The first call hangs until this deadline; the retry must answer within it on a loaded machine too.
        options.EndorseTimeout = TimeSpan.FromSeconds(2);
        await using var env = await FabricTestEnvironment.StartAsync(options);
        env.Peer.Faults.Hang(GatewayStep.Endorse);

        await env.Contract.SubmitAsync("put", ["k", "v"]);

        Assert.Equal(2, env.Peer.Faults.Calls(GatewayStep.Endorse));
    }

    [Fact]
    public async Task A_submit_that_times_out_is_a_transient_SubmitException_tried_once()
    {
        var options = FabricTestEnvironment.FastOptions();
        options.SubmitTimeout = TimeSpan.FromMilliseconds(300);
        await using var env = await FabricTestEnvironment.StartAsync(options);
        env.Peer.Faults.Hang(GatewayStep.Submit);

        var error = await Assert.ThrowsAsync<SubmitException>(() => env.Contract.SubmitAsync("put", ["k", "v"]));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(1, env.Peer.Faults.Calls(GatewayStep.Submit));
    }

    [Fact]
    public async Task Cancelling_the_caller_token_ends_the_call_with_OperationCanceledException_not_a_gateway_error()
    {
        await using var env = await FabricTestEnvironment.StartAsync();
        env.Peer.Faults.Hang(GatewayStep.Evaluate);
        using var cts = new CancellationTokenSource();

        var call = env.Contract.EvaluateAsync("get", ["k"], cts.Token);
        await env.Peer.Faults.Hanging(GatewayStep.Evaluate);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.Equal(1, env.Peer.Faults.Calls(GatewayStep.Evaluate));
    }
}
