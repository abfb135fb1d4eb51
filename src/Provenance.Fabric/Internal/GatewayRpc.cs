using System.Diagnostics;
using Grpc.Core;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using GatewayClient = Provenance.Fabric.Protos.Gateway.Gateway.GatewayClient;

namespace Provenance.Fabric.Internal;

/// <summary>
/// Runs unary Gateway calls with the step's deadline, retries of idempotent steps on transient failures, telemetry and
/// error mapping. The retries are a Polly pipeline (<c>fabric-gateway</c> on the <c>Polly</c> meter): exponential
/// back-off from <see cref="GatewayOptions.RetryDelay"/>, <see cref="GatewayOptions.MaxAttempts"/> in all; Submit is
/// never retried. The per-attempt timeout stays a gRPC deadline, so the peer sees it too. Thread-safe.
/// </summary>
internal sealed class GatewayRpc
{
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _idempotent;

    public GatewayRpc(CallInvoker callInvoker, GatewayOptions options, TimeProvider time)
    {
        Client = new GatewayClient(callInvoker);
        _options = options;
        _time = time;
        _idempotent = options.MaxAttempts == 1 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { Name = "fabric-gateway", TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = options.RetryDelay,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is GatewayException { IsTransient: true }),
                OnRetry = static args =>
                {
                    var step = args.Outcome.Exception is GatewayException { Step: var s } ? s.ToString() : "unknown";
                    FabricTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("fabric.step", step));
                    return default;
                },
            })
            .ConfigureTelemetry(new TelemetryOptions())
            .Build();
    }

    public GatewayClient Client { get; }

    public TimeSpan TimeoutOf(GatewayStep step) => step switch
    {
        GatewayStep.Evaluate => _options.EvaluateTimeout,
        GatewayStep.Endorse => _options.EndorseTimeout,
        GatewayStep.Submit => _options.SubmitTimeout,
        GatewayStep.CommitStatus => _options.CommitStatusTimeout,
        _ => Timeout.InfiniteTimeSpan,
    };

    public async Task<TResponse> CallAsync<TResponse>(
        GatewayStep step,
        string? transactionId,
        string channelName,
        Func<CallOptions, AsyncUnaryCall<TResponse>> call,
        CancellationToken cancellationToken)
    {
        var attempt = 0;
        var pipeline = step == GatewayStep.Submit ? ResiliencePipeline.Empty : _idempotent;
        return await pipeline.ExecuteAsync(
            token => new ValueTask<TResponse>(AttemptAsync(step, ++attempt, transactionId, channelName, call, token)),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> AttemptAsync<TResponse>(
        GatewayStep step,
        int attempt,
        string? transactionId,
        string channelName,
        Func<CallOptions, AsyncUnaryCall<TResponse>> call,
        CancellationToken cancellationToken)
    {
        using var activity = FabricTelemetry.ActivitySource.StartActivity($"Fabric {step}", ActivityKind.Client);
        activity?.SetTag("fabric.channel", channelName);
        activity?.SetTag("fabric.transaction_id", transactionId);
        activity?.SetTag("fabric.attempt", attempt);
        var started = Stopwatch.GetTimestamp();
        var stepTag = new KeyValuePair<string, object?>("fabric.step", step.ToString());
        try
        {
            var options = new CallOptions(
                deadline: _time.GetUtcNow().UtcDateTime + TimeoutOf(step),
                cancellationToken: cancellationToken);
            var response = await call(options).ResponseAsync.ConfigureAwait(false);
            FabricTelemetry.Calls.Add(1, stepTag, new("fabric.outcome", "ok"));
            FabricTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, stepTag);
            return response;
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            throw new OperationCanceledException($"{step} of transaction {transactionId} was cancelled.", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            FabricTelemetry.Calls.Add(1, stepTag, new("fabric.outcome", ex.StatusCode.ToString()));
            FabricTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, stepTag);
            var error = GatewayErrors.FromRpc(step, transactionId, channelName, ex);
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            activity?.SetTag("rpc.grpc.status_code", (int)ex.StatusCode);
            throw error;
        }
    }
}
