using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Microsoft.Extensions.Logging;
using Provenance.Core.Resilience;
using Provenance.Storage;

namespace Provenance.Ingestion.EventHubs.Internal;

/// <summary>
/// Reads one partition into the pipeline, one event at a time in partition order: an event's outcome and the
/// partition's checkpoint commit together, and the next event is submitted only after that commit. When a commit
/// fails, or the link breaks, the reader opens the partition again right after the committed checkpoint (with back-off: the Polly pipeline <c>eventhubs-partition-{id}</c>), so nothing
/// is skipped and nothing committed is applied twice. Not thread-safe: one task runs it.
/// </summary>
internal sealed partial class PartitionReader(
    string partition,
    EventHubConnection connection,
    EventHubsSourceOptions options,
    IngestionPipeline pipeline,
    SourceCheckpointStore checkpoints,
    IotHubEventMapper mapper,
    string source,
    TimeProvider time,
    ILogger logger)
{
    private volatile PartitionState _state = new(partition, null, null, "not connected yet", false);
    private int _failures;

    public PartitionState State => _state;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The back-off counts failures since the last successful receive, not since this run started.
        var retry = SupervisorRetry.Build($"eventhubs-partition-{partition}", time, (_, _) => EventHubsFailure.Backoff(_failures + 1, options.MaxRetryDelay), OnRetry);
        try
        {
            await retry.ExecuteAsync(
                async token =>
                {
                    await ReadUntilNotCommittedAsync(token).ConfigureAwait(false);
                    return false;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; the checkpoint marks where the next start resumes.
        }
    }

    /// <summary>Records why the partition is being opened again (nothing more to say when an event was not committed: that was logged).</summary>
    private void OnRetry(Exception? failure, int attempt, TimeSpan delay)
    {
        _failures++;
        if (failure is null)
        {
            return;
        }

        var permanent = EventHubsFailure.IsPermanent(failure);
        var problem = EventHubsFailure.Describe(failure);
        _state = _state with { Problem = problem, Permanent = permanent };
        if (permanent)
        {
            LogCannotRead(partition, problem, delay.TotalSeconds);
        }
        else
        {
            LogRetrying(partition, problem, delay.TotalSeconds);
        }
    }

    /// <summary>Reads from the checkpoint on; returns when an event could not be committed (it is read again).</summary>
    private async Task ReadUntilNotCommittedAsync(CancellationToken cancellationToken)
    {
        var checkpoint = checkpoints.Find(source, partition);
        var position = checkpoint is not null
            ? EventPosition.FromSequenceNumber(checkpoint.SequenceNumber, isInclusive: false)
            : options.StartPosition == EventHubsStartPosition.Latest ? EventPosition.Latest : EventPosition.Earliest;
        var receiverOptions = new PartitionReceiverOptions
        {
            DefaultMaximumReceiveWaitTime = options.MaxWait,
            PrefetchCount = Math.Max(options.MaxBatch * 2, 10),
        };
        var receiver = new PartitionReceiver(options.ConsumerGroup, partition, position, connection, receiverOptions);
        await using (receiver.ConfigureAwait(false))
        {
            LogReading(partition, checkpoint is null ? $"the {options.StartPosition.ToString().ToLowerInvariant()} event" : $"after sequence number {checkpoint.SequenceNumber}");
            _state = _state with { CommittedSequenceNumber = checkpoint?.SequenceNumber };
            while (true)
            {
                var batch = (await receiver.ReceiveBatchAsync(options.MaxBatch, options.MaxWait, cancellationToken).ConfigureAwait(false)).ToList();
                _failures = 0;
                _state = _state with { Problem = null, Permanent = false, LastReceivedAt = batch.Count > 0 ? time.GetUtcNow() : _state.LastReceivedAt };
                if (batch.Count == 0)
                {
                    continue;
                }

                LogReceived(partition, batch.Count, batch[0].SequenceNumber, batch[^1].SequenceNumber);
                foreach (var data in batch)
                {
                    if (!await pipeline.SubmitInboundAsync(mapper.Map(partition, data), cancellationToken).ConfigureAwait(false))
                    {
                        _state = _state with { Problem = $"the event at sequence number {data.SequenceNumber} could not be committed", Permanent = false };
                        LogNotCommitted(partition, data.SequenceNumber);
                        return;
                    }

                    _state = _state with { CommittedSequenceNumber = data.SequenceNumber };
                }
            }
        }
    }

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Event Hubs partition {Partition}: reading from {Position}")]
    private partial void LogReading(string partition, string position);

    [LoggerMessage(EventId = 5502, Level = LogLevel.Debug, Message = "Event Hubs partition {Partition}: received {Count} event(s), sequence numbers {First}-{Last}")]
    private partial void LogReceived(string partition, int count, long first, long last);

    [LoggerMessage(EventId = 5503, Level = LogLevel.Warning, Message = "Event Hubs partition {Partition}: the event at sequence number {SequenceNumber} was not committed; reading again from the last checkpoint")]
    private partial void LogNotCommitted(string partition, long sequenceNumber);

    [LoggerMessage(EventId = 5504, Level = LogLevel.Warning, Message = "Event Hubs partition {Partition}: {Reason}; retrying in {DelaySeconds} s")]
    private partial void LogRetrying(string partition, string reason, double delaySeconds);

    [LoggerMessage(EventId = 5505, Level = LogLevel.Error, Message = "Event Hubs partition {Partition} cannot be read: {Reason}; retrying in {DelaySeconds} s")]
    private partial void LogCannotRead(string partition, string reason, double delaySeconds);
}
