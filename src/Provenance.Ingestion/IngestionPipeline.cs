using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provenance.Ingestion.Internal;
using Provenance.Ingestion.Tracing;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion;

/// <summary>
/// The single path from a received message to a durable commit. Sources (the embedded broker's publish interceptor,
/// an MQTT subscriber on an external broker, or an Event Hubs partition reader) call <see cref="SubmitAsync"/> and acknowledge the
/// message only when it returns true. Messages are processed in arrival order and committed in groups (one fsync
/// for many messages). At most <see cref="IngestionOptions.MaxUnacknowledged"/> messages wait; beyond that
/// <see cref="SubmitAsync"/> waits too, which holds back the publishers. Thread-safe.
/// </summary>
public sealed partial class IngestionPipeline : BackgroundService
{
    private readonly Channel<PendingMessage> _queue;
    private readonly GatewayMessageProcessor _processor;
    private readonly IngestionWriter _writer;
    private readonly IngestionMetrics _metrics;
    private readonly IngestionOptions _options;
    private readonly ILogger<IngestionPipeline> _logger;

    public IngestionPipeline(GatewayMessageProcessor processor, IngestionWriter writer, IngestionMetrics metrics, IngestionOptions options, ILogger<IngestionPipeline> logger)
    {
        _processor = processor;
        _writer = writer;
        _metrics = metrics;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingMessage>(new BoundedChannelOptions(options.MaxUnacknowledged)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _processor.LoadFixHistories(writer.LoadFixHistories());
    }

    /// <summary>Fires after every commit with the event ids it stored (for tests, the demo and live views).</summary>
    public event Action<IngestionOutcome>? Committed;

    /// <summary>Messages received and not yet committed.</summary>
    public int PendingCount => _queue.Reader.Count;

    /// <summary>
    /// Queues a message and waits until it is durably committed (true: acknowledge it) or could not be (false: do not
    /// acknowledge; the publisher will deliver it again). Rejected input counts as committed: it is in the dead-letter store.
    /// </summary>
    public Task<bool> SubmitAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        SubmitInboundAsync(new InboundMessage(topic, payload), cancellationToken);

    /// <summary>
    /// As <see cref="SubmitAsync"/>, for a message that carries a source position to commit with it, or a refusal
    /// decided by its source.
    /// </summary>
    public async Task<bool> SubmitInboundAsync(InboundMessage message, CancellationToken cancellationToken = default)
    {
        var committed = await EnqueueCoreAsync(message, cancellationToken).ConfigureAwait(false);
        return await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues a message (waiting while <see cref="IngestionOptions.MaxUnacknowledged"/> messages are pending) and returns
    /// the task that completes with its commit. Lets a source take the next message while earlier ones commit together.
    /// </summary>
    public ValueTask<Task<bool>> EnqueueAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        EnqueueInboundAsync(new InboundMessage(topic, payload), cancellationToken);

    /// <summary>As <see cref="EnqueueAsync(string, ReadOnlyMemory{byte}, CancellationToken)"/>, for a message with its trace context.</summary>
    public ValueTask<Task<bool>> EnqueueInboundAsync(InboundMessage message, CancellationToken cancellationToken = default) =>
        EnqueueCoreAsync(message, cancellationToken);

    private async ValueTask<Task<bool>> EnqueueCoreAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var pending = new PendingMessage(message, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return pending.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingMessage>(_options.MaxBatch);
        var units = new List<IngestionUnit>(_options.MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                units.Clear();
                while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                CommitBatch(batch, units);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued was never acknowledged and will be delivered again.
        }

        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetResult(false);
        }
    }

    private void CommitBatch(List<PendingMessage> batch, List<IngestionUnit> units)
    {
        var started = Stopwatch.GetTimestamp();
        var committed = 0;
        IngestionOutcome? outcome = null;
        try
        {
            foreach (var pending in batch)
            {
                units.Add(ProcessOne(pending));
            }

            try
            {
                outcome = _writer.Commit(units);
                committed = batch.Count;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCommitFailed(e, batch.Count);
                (outcome, committed) = CommitOneByOne(batch, units);
                _processor.LoadFixHistories(_writer.LoadFixHistories());
            }

            if (committed > 0)
            {
                Report(committed, outcome, started);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database failed (while a message was looked up, or while the fix histories were reloaded): what is
            // not committed stays unacknowledged and comes again; the fix histories go back to what is committed.
            LogCommitFailed(e, batch.Count - committed);
            TryReloadFixHistories();
        }
        finally
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(i < committed);
            }
        }

        if (committed > 0)
        {
            Committed?.Invoke(outcome!);
        }
    }

    private void TryReloadFixHistories()
    {
        try
        {
            _processor.LoadFixHistories(_writer.LoadFixHistories());
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            // Still failing: the next batch reloads them or fails the same way.
        }
    }

    private void Report(int committed, IngestionOutcome outcome, long started)
    {
        _metrics.Committed(committed, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
        foreach (var (reason, count) in outcome.DeadLettersByReason)
        {
            LogRejected(count, reason);
        }

        if (outcome.DeadLettersPruned > 0)
        {
            LogPruned(outcome.DeadLettersPruned);
        }
    }

    /// <summary>Processes one message; whatever it throws makes it an <c>unprocessable</c> dead letter, not the batch's failure.</summary>
    /// <remarks>
    /// A refusal its source decided is stored as it is; a source position rides along in either case, so that it
    /// commits with whatever the message became.
    /// </remarks>
    private IngestionUnit ProcessOne(PendingMessage pending)
    {
        IngestionUnit unit;
        var span = VerificationSpan.Start(pending.Message);
        try
        {
            unit = pending.Message.Refusal is { } refusal
                ? IngestionUnit.Rejected(pending.Topic, Topics.SourceGateway(pending.Topic), pending.Payload, refusal.ReasonCode, refusal.Reason)
                : _processor.Process(pending.Topic, pending.Payload);
        }
        catch (Exception e) when (e is not OperationCanceledException && !IsStorageFailure(e))
        {
            LogUnprocessable(e, Topics.Bounded(pending.Topic));
            unit = Unprocessable(pending, e);
            VerificationSpan.Finish(span, unit);
            return unit;
        }
        catch (Exception e)
        {
            VerificationSpan.Fail(span, e);
            throw;
        }

        unit.Checkpoint = pending.Message.Checkpoint;
        VerificationSpan.Finish(span, unit);
        return unit;
    }

    /// <summary>
    /// After a group commit failed: commits each message on its own, so one message that cannot be stored does not hold
    /// back the others. A message whose own commit fails is stored as an <c>unprocessable</c> dead letter instead (then
    /// acknowledged, so its gateway stops resending it); if even that fails, or the database itself failed (full, I/O,
    /// locked), the message and all after it stay unacknowledged and are delivered again. Returns how many of the
    /// batch, from its start, are committed.
    /// </summary>
    private (IngestionOutcome Outcome, int Committed) CommitOneByOne(List<PendingMessage> batch, List<IngestionUnit> units)
    {
        var outcome = new IngestionOutcome();
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                outcome.Add(_writer.Commit([units[i]]));
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException && !IsStorageFailure(e))
            {
                LogUnprocessable(e, Topics.Bounded(batch[i].Topic));
                try
                {
                    outcome.Add(_writer.Commit([Unprocessable(batch[i], e)]));
                    continue;
                }
                catch (Exception again) when (again is not OperationCanceledException)
                {
                    LogCommitFailed(again, batch.Count - i);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCommitFailed(e, batch.Count - i);
            }

            return (outcome, i);
        }

        return (outcome, batch.Count);
    }

    private static IngestionUnit Unprocessable(PendingMessage pending, Exception e)
    {
        var unit = IngestionUnit.Rejected(pending.Topic, Topics.SourceGateway(pending.Topic), pending.Payload, ReasonCodes.Unprocessable, $"the message could not be processed ({e.GetType().Name}: {e.Message})");
        unit.Checkpoint = pending.Message.Checkpoint;
        return unit;
    }

    /// <summary>A failure of the database rather than of one message: retrying later may succeed, so nothing is dead-lettered.</summary>
    private static bool IsStorageFailure(Exception e) =>
        Provenance.Storage.StorageErrors.IsUnavailable(e) || e is IOException or OutOfMemoryException;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Rejected {Count} item(s) to the dead-letter store: {Reason}")]
    private partial void LogRejected(int count, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Commit of {Count} message(s) failed; committing them one by one (what still fails stays unacknowledged and will be delivered again)")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "A message on {Topic} could not be processed; it is acknowledged and kept as an 'unprocessable' dead letter")]
    private partial void LogUnprocessable(Exception exception, string topic);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Pruned the {Count} oldest dead-letter message(s) to keep the store within its quota (DeadLetters:MaxTotalBytes, MaxBytesPerGateway)")]
    private partial void LogPruned(int count);

    private sealed record PendingMessage(InboundMessage Message, TaskCompletionSource<bool> Done)
    {
        public string Topic => Message.Topic;

        public ReadOnlyMemory<byte> Payload => Message.Payload;
    }
}
