using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Provenance.Storage.Ingestion;

namespace Provenance.Ingestion;

/// <summary>
/// The single path from a received MQTT message to a durable commit. Sources (the embedded broker's publish
/// interceptor, or an MQTT subscriber on an external broker) call <see cref="SubmitAsync"/> and acknowledge the
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
    public async Task<bool> SubmitAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var committed = await EnqueueAsync(topic, payload, cancellationToken).ConfigureAwait(false);
        return await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues a message (waiting while <see cref="IngestionOptions.MaxUnacknowledged"/> messages are pending) and returns
    /// the task that completes with its commit. Lets a source take the next message while earlier ones commit together.
    /// </summary>
    public async ValueTask<Task<bool>> EnqueueAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var pending = new PendingMessage(topic, payload, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
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
                units.Add(_processor.Process(pending.Topic, pending.Payload.Span));
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

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Rejected {Count} item(s) to the dead-letter store: {Reason}")]
    private partial void LogRejected(int count, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Commit of {Count} message(s) failed; they stay unacknowledged and will be delivered again")]
    private partial void LogCommitFailed(Exception exception, int count);

    private sealed record PendingMessage(string Topic, ReadOnlyMemory<byte> Payload, TaskCompletionSource<bool> Done);
}
