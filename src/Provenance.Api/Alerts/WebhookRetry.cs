using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Provenance.Core.Resilience;

namespace Provenance.Api.Alerts;

/// <summary>One attempt of <see cref="SignedWebhookPost"/>: <see cref="Final"/> when the receiver answered for good, otherwise what failed.</summary>
internal sealed record WebhookAttempt(WebhookPostResult? Final, int? Status, TimeSpan? RetryAfter, Exception? Error)
{
    public static WebhookAttempt Taken(WebhookPostResult result) => new(result, result.Status, null, null);
}

/// <summary>
/// The resilience pipeline of one webhook receiver, built once per dispatcher so its circuit breaker remembers the
/// receiver across deliveries: unlimited attempts while the failure can heal, waits doubling from the initial
/// back-off up to the maximum, a longer <c>Retry-After</c> winning; inside the retry, a circuit breaker that opens
/// when every one of at least <see cref="WebhookOptions.BreakAfterFailures"/> attempts in a minute failed, and then
/// lets no request through for <see cref="WebhookOptions.BreakDuration"/> (the retry waits out the break, so the
/// delivery is kept, never dropped). Thread-safe.
/// </summary>
internal static class WebhookRetry
{
    private static readonly ResiliencePropertyKey<Action<int?, int, Exception?>> OnRetry = new("provenance.webhook.on-retry");

    public static ResiliencePipeline<WebhookAttempt> Build(
        string name, TimeSpan initialBackoff, TimeSpan maxBackoff, int breakAfterFailures, TimeSpan breakDuration, TimeProvider time) =>
        new ResiliencePipelineBuilder<WebhookAttempt> { Name = name, TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<WebhookAttempt>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Final: null } || args.Outcome.Exception is BrokenCircuitException),
                DelayGenerator = args =>
                {
                    var step = SupervisorRetry.Doubling(args.AttemptNumber, initialBackoff, maxBackoff);
                    var asked = args.Outcome.Exception is BrokenCircuitException broken ? broken.RetryAfter : args.Outcome.Result?.RetryAfter;
                    return ValueTask.FromResult<TimeSpan?>(asked is { } r && r > step ? r : step);
                },
                OnRetry = static args =>
                {
                    if (args.Context.Properties.TryGetValue(OnRetry, out var onRetry))
                    {
                        onRetry(args.Outcome.Result?.Status, args.AttemptNumber + 1, args.Outcome.Result?.Error ?? args.Outcome.Exception);
                    }

                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<WebhookAttempt>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Final: null }),
                FailureRatio = 1.0,
                MinimumThroughput = breakAfterFailures,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = breakDuration,
            })
            .ConfigureTelemetry(new TelemetryOptions())
            .Build();

    /// <summary>A context for one delivery; <paramref name="onRetry"/> hears each failed attempt (status, or null when unreachable or the circuit is open) before the wait.</summary>
    public static ResilienceContext ContextFor(Action<int?, int, Exception?> onRetry, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OnRetry, onRetry);
        return context;
    }
}
