using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Writes batches of <see cref="Point"/>s to InfluxDB (v1 <c>/write</c> over HTTP, or v2 <c>/api/v2/write</c> through
/// InfluxDB.Client; see <see cref="InfluxOptions"/>) and takes one decision per answer
/// (<see cref="InfluxResponsePolicy"/>): 2xx done; 413 split in halves down to one point; 400/422
/// keep what InfluxDB stored, locate the bad lines (from the message when it names them, otherwise by
/// bisection — re-sending good lines is harmless because points are keyed by their event timestamp)
/// and dead-letter them with InfluxDB's message; 401/403 stop and keep everything; 429/503 wait for
/// <c>Retry-After</c>; other 5xx, network errors and timeouts back off exponentially with jitter until
/// <see cref="InfluxOptions.MaxRetryDuration"/>. Retries and the per-request timeout are a Polly pipeline
/// (<see cref="InfluxRetry"/>, visible on the <c>Polly</c> meter as pipeline <c>influx-write</c>).
/// </summary>
/// <remarks>Thread-safe: concurrent <see cref="WriteAsync"/> calls are independent.</remarks>
public sealed class InfluxWriter : IDisposable
{
    private readonly InfluxOptions options;
    private readonly Func<RejectedLine, CancellationToken, ValueTask>? deadLetter;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly IInfluxTransport transport;
    private readonly ResiliencePipeline<InfluxAnswer> pipeline;

    /// <summary>Creates a writer.</summary>
    /// <param name="options">Validated settings; invalid ones throw <see cref="ValidationException"/>.</param>
    /// <param name="deadLetter">Receives every point InfluxDB refuses for good, with its message; called before <see cref="WriteAsync"/> returns.</param>
    /// <param name="logger">Logger; null for none.</param>
    /// <param name="timeProvider">Clock for deadlines and delays; null for the system clock.</param>
    public InfluxWriter(
        InfluxOptions options,
        Func<RejectedLine, CancellationToken, ValueTask>? deadLetter = null,
        ILogger<InfluxWriter>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        this.options = options;
        this.deadLetter = deadLetter;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        transport = options.ApiVersion == InfluxApiVersion.V2 ? new InfluxV2Transport(options, this.timeProvider) : new InfluxV1Transport(options);
        pipeline = InfluxRetry.Build(options, this.timeProvider, (count, failure, attempt, delay) =>
        {
            InfluxLog.RetryScheduled(this.logger, count, transport.Target, failure, attempt, delay);
            TimeSeriesTelemetry.Retries.Add(1);
        });
    }

    /// <summary>
    /// Writes the points, in requests of at most <see cref="InfluxOptions.BatchSize"/> points. Returns when every
    /// point is stored or dead-lettered, or when the writer had to stop (<see cref="WriteOutcome.Unauthorized"/>,
    /// <see cref="WriteOutcome.GaveUp"/>: the caller keeps the points and retries later).
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<WriteResult> WriteAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        var lines = points.Select(LineProtocol.ToLine).ToArray();
        var progress = new WriteProgress(points, lines, timeProvider.GetUtcNow() + options.MaxRetryDuration);
        for (var start = 0; start < points.Count && progress.StoppedWith is null; start += options.BatchSize)
        {
            var positions = Enumerable.Range(start, Math.Min(options.BatchSize, points.Count - start)).ToArray();
            await WriteSliceAsync(progress, positions, cancellationToken).ConfigureAwait(false);
        }

        return progress.ToResult();
    }

    /// <inheritdoc/>
    public void Dispose() => transport.Dispose();

    private async Task WriteSliceAsync(WriteProgress progress, int[] positions, CancellationToken cancellationToken)
    {
        if (progress.StoppedWith is not null || positions.Length == 0)
        {
            return;
        }

        var answer = await SendWithRetriesAsync(progress, positions, cancellationToken).ConfigureAwait(false);
        switch (answer.Decision)
        {
            case WriteDecision.Done:
                progress.Written += positions.Length;
                TimeSeriesTelemetry.PointsWritten.Add(positions.Length);
                InfluxLog.Written(logger, positions.Length, transport.Target);
                return;
            case WriteDecision.SplitBatch when positions.Length > 1:
                InfluxLog.Splitting(logger, transport.Target, positions.Length);
                await WriteSliceAsync(progress, positions[..(positions.Length / 2)], cancellationToken).ConfigureAwait(false);
                await WriteSliceAsync(progress, positions[(positions.Length / 2)..], cancellationToken).ConfigureAwait(false);
                return;
            case WriteDecision.SplitBatch or WriteDecision.RejectBadLines when positions.Length == 1:
                await RejectAsync(progress, positions[0], answer, cancellationToken).ConfigureAwait(false);
                return;
            case WriteDecision.RejectBadLines:
                InfluxLog.LocatingBadLines(logger, transport.Target, positions.Length, answer.StatusCode, answer.Message);
                await LocateBadLinesAsync(progress, positions, answer.Message, cancellationToken).ConfigureAwait(false);
                return;
            case WriteDecision.StopUnauthorized:
                InfluxLog.Unauthorized(logger, transport.Target, answer.StatusCode, answer.Message);
                Stop(progress, WriteOutcome.Unauthorized, $"unauthorized: fix credentials (HTTP {answer.StatusCode}: {answer.Message})");
                return;
            default:
                InfluxLog.GaveUp(logger, positions.Length, transport.Target, answer.Message);
                Stop(progress, WriteOutcome.GaveUp, answer.StatusCode == 0 ? answer.Message : $"HTTP {answer.StatusCode}: {answer.Message}");
                return;
        }
    }

    private async Task LocateBadLinesAsync(WriteProgress progress, int[] positions, string message, CancellationToken cancellationToken)
    {
        var sent = positions.Select(p => progress.Lines[p]).ToArray();
        var named = InfluxErrorBody.NamedLines(message, sent);
        if (named.Count is > 0 && named.Count < positions.Length)
        {
            // The message names lines: send each named line alone (so a misread message can never
            // dead-letter a good point) and the others together.
            foreach (var index in named)
            {
                await WriteSliceAsync(progress, [positions[index]], cancellationToken).ConfigureAwait(false);
            }

            var others = positions.Where((_, i) => !named.Contains(i)).ToArray();
            await WriteSliceAsync(progress, others, cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteSliceAsync(progress, positions[..(positions.Length / 2)], cancellationToken).ConfigureAwait(false);
        await WriteSliceAsync(progress, positions[(positions.Length / 2)..], cancellationToken).ConfigureAwait(false);
    }

    private async Task RejectAsync(WriteProgress progress, int position, InfluxAnswer answer, CancellationToken cancellationToken)
    {
        var rejected = new RejectedLine(progress.Points[position], progress.Lines[position], answer.StatusCode, answer.Message);
        progress.Rejected.Add(rejected);
        TimeSeriesTelemetry.PointsRejected.Add(1);
        InfluxLog.Rejected(logger, transport.Target, answer.StatusCode, answer.Message, rejected.Line);
        if (deadLetter is not null)
        {
            await deadLetter(rejected, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Stop(WriteProgress progress, WriteOutcome outcome, string message)
    {
        progress.StoppedWith = outcome;
        progress.Message = message;
    }

    private async Task<InfluxAnswer> SendWithRetriesAsync(WriteProgress progress, int[] positions, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(InfluxRetry.Deadline, progress.Deadline);
            InfluxRetry.SetCount(context, positions.Length);
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (context, state) => Outcome.FromResult(await state.Writer.SendOnceAsync(state.Progress, state.Positions, context.CancellationToken).ConfigureAwait(false)),
                context,
                (Writer: this, Progress: progress, Positions: positions)).ConfigureAwait(false);
            if (outcome.Exception is not (null or TimeoutRejectedException))
            {
                outcome.ThrowIfException();
            }

            var answer = InfluxRetry.AnswerOf(outcome, options);
            return answer.Decision is WriteDecision.RetryAfter or WriteDecision.BackOff
                ? answer with { Message = $"still failing after retrying for {options.MaxRetryDuration}: {answer.Message}" }
                : answer;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One request; the per-request timeout comes from the pipeline's timeout strategy through <paramref name="cancellationToken"/>.</summary>
    private async Task<InfluxAnswer> SendOnceAsync(WriteProgress progress, int[] positions, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var reply = await transport.SendAsync(progress.Lines, positions, cancellationToken).ConfigureAwait(false);
            var decision = InfluxResponsePolicy.Decide((System.Net.HttpStatusCode)reply.StatusCode);
            var retryAfter = decision == WriteDecision.RetryAfter ? RetryDelay.FromRetryAfter(reply.RetryAfter, timeProvider.GetUtcNow(), options.MaxBackoff) : null;
            return new InfluxAnswer(decision, reply.StatusCode, decision == WriteDecision.Done ? string.Empty : reply.Message, retryAfter);
        }
        catch (Exception exception) when (InfluxResponsePolicy.IsTransient(exception))
        {
            return new InfluxAnswer(WriteDecision.BackOff, 0, $"network error: {exception.Message}");
        }
        finally
        {
            TimeSeriesTelemetry.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
