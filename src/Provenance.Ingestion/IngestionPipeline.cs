using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
        var committed = await EnqueueInboundAsync(message, cancellationToken).ConfigureAwait(false);
        return await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues a message (waiting while <see cref="IngestionOptions.MaxUnacknowledged"/> messages are pending) and returns
    /// the task that completes with its commit. Lets a source take the next message while earlier ones commit together.
    /// </summary>
    public ValueTask<Task<bool>> EnqueueAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        EnqueueInboundAsync(new InboundMessage(topic, payload), cancellationToken);

    private async ValueTask<Task<bool>> EnqueueInboundAsync(InboundMessage message, CancellationToken cancellationToken)
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
        using var activity = IngestionMetrics.ActivitySource.StartActivity("ingestion.commit");
        activity?.SetTag("messages", batch.Count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            foreach (var pending in batch)
            {
                units.Add(Prepare(pending.Message));
            }

            var outcome = _writer.Commit(units);
            _metrics.Committed(batch.Count, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
            foreach (var (reason, count) in outcome.DeadLettersByReason)
            {
                LogRejected(count, reason);
            }

            foreach (var pending in batch)
            {
                pending.Done.TrySetResult(true);
            }

            Committed?.Invoke(outcome);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCommitFailed(e, batch.Count);
            _processor.LoadFixHistories(_writer.LoadFixHistories());
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult(false);
            }
        }
    }

    /// <summary>Verifies a message (or stores its refusal) and carries its source position into the same commit.</summary>
    private IngestionUnit Prepare(InboundMessage message)
    {
        IngestionUnit unit;
        if (message.Refusal is { } refusal)
        {
            unit = new IngestionUnit { Topic = message.Topic };
            unit.DeadLetters.Add(new DeadLetter(message.Topic, refusal.ReasonCode, refusal.Reason, null, message.Payload.ToArray()));
        }
        else
        {
            unit = _processor.Process(message.Topic, message.Payload.Span);
        }

        unit.Checkpoint = message.Checkpoint;
        return unit;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Rejected {Count} item(s) to the dead-letter store: {Reason}")]
    private partial void LogRejected(int count, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Commit of {Count} message(s) failed; they stay unacknowledged and will be delivered again")]
    private partial void LogCommitFailed(Exception exception, int count);

    private sealed record PendingMessage(InboundMessage Message, TaskCompletionSource<bool> Done);
}
