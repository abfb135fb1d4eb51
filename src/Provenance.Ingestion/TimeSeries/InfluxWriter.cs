using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Writes batches of <see cref="Point"/>s to InfluxDB (v1 <c>/write</c> over HTTP, or v2 <c>/api/v2/write</c> through
/// InfluxDB.Client; see <see cref="InfluxOptions"/>) and takes one decision per answer
/// (<see cref="InfluxResponsePolicy"/>): 2xx done; 413 split in halves down to one point; 400/422
/// keep what InfluxDB stored, locate the bad lines (from the message when it names them, otherwise by
/// bisection — re-sending good lines is harmless because points are keyed by their event timestamp)
/// and dead-letter them with InfluxDB's message; 401/403 stop and keep everything; 429/503 wait for
/// <c>Retry-After</c>; other 5xx, network errors and timeouts back off exponentially with jitter until
/// <see cref="InfluxOptions.MaxRetryDuration"/>.
/// </summary>
/// <remarks>Thread-safe: concurrent <see cref="WriteAsync"/> calls are independent.</remarks>
public sealed class InfluxWriter : IDisposable
{
    private readonly InfluxOptions options;
    private readonly Func<RejectedLine, CancellationToken, ValueTask>? deadLetter;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly IInfluxTransport transport;

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
        for (var attempt = 0; ; attempt++)
        {
            InfluxAnswer answer;
            TimeSpan? retryAfter = null;
            var started = Stopwatch.GetTimestamp();
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.Timeout);
                try
                {
                    var reply = await transport.SendAsync(progress.Lines, positions, timeout.Token).ConfigureAwait(false);
                    var decision = InfluxResponsePolicy.Decide((System.Net.HttpStatusCode)reply.StatusCode);
                    answer = new InfluxAnswer(decision, reply.StatusCode, decision == WriteDecision.Done ? string.Empty : reply.Message);
                    if (decision == WriteDecision.RetryAfter)
                    {
                        retryAfter = RetryDelay.FromRetryAfter(reply.RetryAfter, timeProvider.GetUtcNow(), options.MaxBackoff);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    answer = new InfluxAnswer(WriteDecision.BackOff, 0, $"request timed out after {options.Timeout}");
                }
                catch (Exception exception) when (InfluxResponsePolicy.IsTransient(exception))
                {
                    answer = new InfluxAnswer(WriteDecision.BackOff, 0, $"network error: {exception.Message}");
                }
                finally
                {
                    TimeSeriesTelemetry.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
            }

            if (answer.Decision is not (WriteDecision.RetryAfter or WriteDecision.BackOff))
            {
                return answer;
            }

            var delay = retryAfter ?? RetryDelay.Backoff(attempt, options.InitialBackoff, options.MaxBackoff);
            if (timeProvider.GetUtcNow() + delay > progress.Deadline)
            {
                return answer with { Message = $"still failing after retrying for {options.MaxRetryDuration}: {answer.Message}" };
            }

            var failure = answer.StatusCode == 0 ? answer.Message : $"HTTP {answer.StatusCode}: {answer.Message}";
            InfluxLog.RetryScheduled(logger, positions.Length, transport.Target, failure, attempt + 1, delay);
            TimeSeriesTelemetry.Retries.Add(1);
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
