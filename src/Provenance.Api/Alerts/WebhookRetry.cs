using Polly;
using Polly.Retry;
using Polly.Telemetry;

namespace Provenance.Api.Alerts;

/// <summary>One attempt of <see cref="SignedWebhookPost"/>: <see cref="Final"/> when the receiver answered for good, otherwise what failed.</summary>
internal sealed record WebhookAttempt(WebhookPostResult? Final, int? Status, TimeSpan? RetryAfter, Exception? Error)
{
    public static WebhookAttempt Taken(WebhookPostResult result) => new(result, result.Status, null, null);
}

/// <summary>
/// The retry pipeline of <see cref="SignedWebhookPost"/>: unlimited attempts while the failure can heal, waits doubling
/// from the initial back-off up to the maximum, a longer <c>Retry-After</c> winning. Thread-safe.
/// </summary>
internal static class WebhookRetry
{
    public static ResiliencePipeline<WebhookAttempt> Build(
        string name, TimeSpan initialBackoff, TimeSpan maxBackoff, TimeProvider time, Action<int?, int, Exception?> onRetry) =>
        new ResiliencePipelineBuilder<WebhookAttempt> { Name = name, TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<WebhookAttempt>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Final: null }),
                DelayGenerator = args =>
                {
                    var step = Step(args.AttemptNumber, initialBackoff, maxBackoff);
                    return ValueTask.FromResult<TimeSpan?>(args.Outcome.Result?.RetryAfter is { } r && r > step ? r : step);
                },
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Result?.Status, args.AttemptNumber + 1, args.Outcome.Result?.Error);
                    return default;
                },
            })
            .ConfigureTelemetry(new TelemetryOptions())
            .Build();

    /// <summary>
    /// The back-off before retry <paramref name="attempt"/> (from 0): doubling, capped. Computed here rather than by Polly's
    /// exponential back-off because a longer <c>Retry-After</c> must win even past the cap.
    /// </summary>
    private static TimeSpan Step(int attempt, TimeSpan initial, TimeSpan max)
    {
        var ticks = initial.Ticks * Math.Pow(2, Math.Min(attempt, 62));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
