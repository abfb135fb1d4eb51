using MQTTnet;
using Provenance.Core.Gateways;
using Provenance.FirmwareSim.Queue;

namespace Provenance.FirmwareSim.Mqtt;

/// <summary>
/// Drains the queue with end-to-end acknowledgement: up to <see cref="SimulatorOptions.Window"/> messages in flight,
/// each published with the gateway's acknowledgement topic as Response Topic and its queue index as Correlation Data.
/// A message leaves the queue — in queue order — only when ingestion acknowledged it after its durable commit, so a
/// broker that crashes after its PUBACK loses nothing: unacknowledged messages are sent again on the next connection,
/// or when no acknowledgement came within <see cref="SimulatorOptions.AckTimeout"/>. One instance per simulator run.
/// </summary>
internal sealed class EndToEndDrain(
    SimulatorOptions options,
    FileMessageQueue queue,
    IngestionAcks acks,
    AckLog? ackLog,
    SimulatorCounters counters,
    TimeProvider time,
    Action<long, QueuedMessage> acknowledged,
    Action<long, QueuedMessage> published,
    Action<bool, string?> connectionChanged)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private long _publishedUpTo;

    /// <summary>
    /// Runs on one connection until it drops (the failed publish's exception, or <see cref="MQTTnet.Exceptions.MqttCommunicationException"/>
    /// when <paramref name="disconnected"/> completes while waiting) or <paramref name="stopping"/> fires.
    /// </summary>
    public async Task RunAsync(IMqttClient client, Task disconnected, CancellationToken stopping)
    {
        var inFlight = new SortedDictionary<long, (QueuedMessage Message, long SentAt)>();
        var head = queue.AcknowledgedCount;
        var next = head;
        if (next < _publishedUpTo)
        {
            counters.Resent((int)(_publishedUpTo - next));
        }

        while (true)
        {
            stopping.ThrowIfCancellationRequested();
            while (inFlight.TryGetValue(head, out var done) && acks.Take(head))
            {
                Release(head, done.Message);
                inFlight.Remove(head);
                head++;
            }

            acks.ForgetBelow(head);
            if (next - head < options.Window && next < queue.AppendedCount)
            {
                var message = await queue.ReadAsync(next, stopping).ConfigureAwait(false);
                if (await PublishAsync(client, next, message, stopping).ConfigureAwait(false))
                {
                    inFlight[next] = (message, time.GetTimestamp());
                    next++;
                }

                continue;
            }

            if (inFlight.Count > 0 && time.GetElapsedTime(inFlight.First().Value.SentAt) >= options.AckTimeout)
            {
                // Ingestion has not confirmed the oldest message in time (it may be down, or the broker lost it after
                // its PUBACK): send it and everything after it again. Redeliveries are absorbed by ingestion.
                counters.Resent(inFlight.Count);
                connectionChanged(true, $"no acknowledgement from ingestion for message {head} within {options.AckTimeout.TotalSeconds:0.#} s; sending {inFlight.Count} message(s) again");
                inFlight.Clear();
                next = head;
                continue;
            }

            await WaitAsync(inFlight, next, disconnected, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes one message; true when the broker took it (or refused it for good), false to try again.</summary>
    private async Task<bool> PublishAsync(IMqttClient client, long index, QueuedMessage message, CancellationToken stopping)
    {
        counters.Sent(message.EventIds.Count);
        using var span = PublishTracing.Start(options, message.Topic);
        var mqtt = PublishTracing.Carry(options, span, MqttSettings.Message(message.Topic, message.Payload, retain: false, acks.Topic, GatewayAck.Correlation(index)));
        var result = await client.PublishAsync(mqtt, stopping).ConfigureAwait(false);
        if (result.ReasonCode is MqttClientPublishReasonCode.NoMatchingSubscribers or MqttClientPublishReasonCode.UnspecifiedError
            or MqttClientPublishReasonCode.ImplementationSpecificError or MqttClientPublishReasonCode.QuotaExceeded)
        {
            counters.NotTaken();
            connectionChanged(true, $"{GatewayTopic.KindName(message.Kind)} message {index} not taken ({result.ReasonCode}); retrying");
            await Task.Delay(RetryDelay, time, stopping).ConfigureAwait(false);
            return false;
        }

        if (result.ReasonCode is not MqttClientPublishReasonCode.Success)
        {
            // The broker read the message and refused it (e.g. not authorised): sending it again will not help.
            counters.Rejected();
            connectionChanged(true, $"broker refused {GatewayTopic.KindName(message.Kind)} message {index}: {result.ReasonCode} {result.ReasonString}");
            acks.Mark(index);
            return true;
        }

        if (index >= _publishedUpTo)
        {
            counters.Published(message.EventIds.Count);
            _publishedUpTo = index + 1;
            published(index, message);
        }

        return true;
    }

    private void Release(long index, QueuedMessage message)
    {
        ackLog?.Record(message.EventIds);
        queue.Acknowledge(index, message);
        counters.Acked(message.EventIds.Count);
        acknowledged(index, message);
    }

    /// <summary>Waits for an acknowledgement, a new message (when the window has room) or the oldest message's timeout.</summary>
    private async Task WaitAsync(SortedDictionary<long, (QueuedMessage Message, long SentAt)> inFlight, long next, Task disconnected, CancellationToken stopping)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var waits = new List<Task> { acks.Changed, disconnected };
        if (next - queue.AcknowledgedCount < options.Window)
        {
            waits.Add(queue.WaitForAppendAsync(next, wake.Token));
        }

        if (inFlight.Count > 0)
        {
            var left = options.AckTimeout - time.GetElapsedTime(inFlight.First().Value.SentAt);
            waits.Add(Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, wake.Token));
        }

        await Task.WhenAny(waits).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        stopping.ThrowIfCancellationRequested();
        if (disconnected.IsCompleted)
        {
            throw new MQTTnet.Exceptions.MqttCommunicationException("the broker connection dropped while messages waited for ingestion's acknowledgement");
        }
    }
}
