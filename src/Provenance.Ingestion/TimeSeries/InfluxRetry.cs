using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// The retry and timeout mechanics of <see cref="InfluxWriter"/> as a Polly pipeline: a per-request timeout
/// (<see cref="InfluxOptions.Timeout"/>) inside a retry of the answers <see cref="InfluxResponsePolicy"/> calls
/// transient (429/503 wait for <c>Retry-After</c>, other 5xx, network errors and timeouts back off with jitter), until
/// the next wait would pass the write's deadline (<see cref="Deadline"/>, from <see cref="InfluxOptions.MaxRetryDuration"/>).
/// The pipeline's metrics are on Polly's meter (<c>Polly</c>) as pipeline <c>influx-write</c>. Thread-safe.
/// </summary>
internal static class InfluxRetry
{
    /// <summary>When the write that owns the context must stop retrying.</summary>
    public static readonly ResiliencePropertyKey<DateTimeOffset> Deadline = new("provenance.influx.deadline");

    private static readonly ResiliencePropertyKey<TimeSpan> NextDelay = new("provenance.influx.next-delay");
    private static readonly ResiliencePropertyKey<int> Count = new("provenance.influx.count");

    /// <summary>Builds the pipeline; <paramref name="onRetry"/> hears (points, failure, retry number from 1, delay) before each wait.</summary>
    public static ResiliencePipeline<InfluxAnswer> Build(InfluxOptions options, TimeProvider timeProvider, Action<int, string, int, TimeSpan> onRetry) =>
        new ResiliencePipelineBuilder<InfluxAnswer> { Name = "influx-write", TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<InfluxAnswer>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args, options, timeProvider)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(NextDelay, TimeSpan.Zero)),
                OnRetry = args =>
                {
                    var answer = AnswerOf(args.Outcome, options);
                    var failure = answer.StatusCode == 0 ? answer.Message : $"HTTP {answer.StatusCode}: {answer.Message}";
                    onRetry(args.Context.Properties.GetValue(Count, 0), failure, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.Timeout })
            .ConfigureTelemetry(new TelemetryOptions())
            .Build();

    /// <summary>Sets how many points the request carries (for the retry log).</summary>
    public static void SetCount(ResilienceContext context, int count) => context.Properties.Set(Count, count);

    /// <summary>The answer an outcome stands for: a timed-out request is a transient failure like a network error.</summary>
    public static InfluxAnswer AnswerOf(Outcome<InfluxAnswer> outcome, InfluxOptions options) => outcome.Exception switch
    {
        null => outcome.Result,
        TimeoutRejectedException => new InfluxAnswer(WriteDecision.BackOff, 0, $"request timed out after {options.Timeout}"),
        _ => throw new InvalidOperationException("Only answers and timeouts reach the retry decision.", outcome.Exception),
    };

    private static bool ShouldRetry(RetryPredicateArguments<InfluxAnswer> args, InfluxOptions options, TimeProvider timeProvider)
    {
        if (args.Outcome.Exception is not null and not TimeoutRejectedException)
        {
            return false;
        }

        var answer = AnswerOf(args.Outcome, options);
        if (answer.Decision is not (WriteDecision.RetryAfter or WriteDecision.BackOff))
        {
            return false;
        }

        var delay = answer.RetryAfter ?? RetryDelay.Backoff(args.AttemptNumber, options.InitialBackoff, options.MaxBackoff);
        if (timeProvider.GetUtcNow() + delay > args.Context.Properties.GetValue(Deadline, DateTimeOffset.MinValue))
        {
            return false;
        }

        args.Context.Properties.Set(NextDelay, delay);
        return true;
    }
}
