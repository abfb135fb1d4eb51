using Polly;
using Polly.Retry;
using Polly.Telemetry;

namespace Provenance.Core.Resilience;

/// <summary>
/// The back-off of a supervisor loop (a sink, a subscriber, a reader that runs until the host stops) as a named Polly
/// retry pipeline: every attempt that fails, by an exception (other than the caller's own cancellation: a timeout inside the attempt is a failure like any other) or by answering <c>false</c>
/// ("not done, try again"), is retried without limit after the delay the caller computes, on the caller's
/// <see cref="TimeProvider"/>. The caller keeps reporting its state (readiness, logs) from <c>onRetry</c>, which hears
/// the failure (null when the attempt answered <c>false</c>), the retry number from 1 and the delay before the wait.
/// The retries are on Polly's meter (<c>Polly</c>) under the pipeline's name. Thread-safe.
/// </summary>
public static class SupervisorRetry
{
    public static ResiliencePipeline<bool> Build(
        string name, TimeProvider time, Func<int, Exception?, TimeSpan> delay, Action<Exception?, int, TimeSpan> onRetry) =>
        new ResiliencePipelineBuilder<bool> { Name = name, TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    ? e is not OperationCanceledException || !args.Context.CancellationToken.IsCancellationRequested
                    : !args.Outcome.Result),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(delay(args.AttemptNumber, args.Outcome.Exception)),
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .ConfigureTelemetry(new TelemetryOptions())
            .Build();

    /// <summary>The wait before retry <paramref name="attempt"/> (from 0): <paramref name="initial"/> doubling each time, capped at <paramref name="max"/>.</summary>
    public static TimeSpan Doubling(int attempt, TimeSpan initial, TimeSpan max)
    {
        var ticks = initial.Ticks * Math.Pow(2, Math.Min(attempt, 62));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
