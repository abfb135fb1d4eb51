using System.Diagnostics;
using Grpc.Core;
using GatewayClient = Provenance.Fabric.Protos.Gateway.Gateway.GatewayClient;

namespace Provenance.Fabric.Internal;

/// <summary>
/// Runs unary Gateway calls with the step's deadline, retries of idempotent steps on transient failures, telemetry and
/// error mapping. Thread-safe.
/// </summary>
internal sealed class GatewayRpc
{
    private readonly GatewayOptions _options;

    public GatewayRpc(CallInvoker callInvoker, GatewayOptions options)
    {
        Client = new GatewayClient(callInvoker);
        _options = options;
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
        var attempts = step == GatewayStep.Submit ? 1 : _options.MaxAttempts;
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
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
                    deadline: DateTime.UtcNow + TimeoutOf(step),
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
                if (!error.IsTransient || attempt >= attempts)
                {
                    throw error;
                }

                FabricTelemetry.Retries.Add(1, stepTag);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }
}
