using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using Provenance.Core.Gateways;

namespace Provenance.Ingestion.Broker;

/// <summary>
/// Sends the end-to-end acknowledgement of the gateway protocol (<see cref="GatewayAck"/>) for a message ingestion has
/// durably committed: to the publishing gateway's own acknowledgement topic, with the gateway's Correlation Data, QoS 1.
/// A message without a Response Topic gets none (the gateway relies on PUBACK alone); a Response Topic other than the
/// gateway's own acknowledgement topic is refused, so that no gateway can address another one's acknowledgements.
/// At most <see cref="MaxInFlight"/> acknowledgements wait for the broker at a time. Thread-safe.
/// </summary>
public sealed partial class CommitAcknowledger(ILogger logger) : IDisposable
{
    public const int MaxInFlight = 16;

    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);
    private readonly HashSet<string> _warned = [];
    private long _sent;
    private int _pending;

    /// <summary>Acknowledgements the broker took.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>The acknowledgement <paramref name="request"/> asks for, or null when it asks for none or for one it may not have.</summary>
    public MqttApplicationMessage? For(MqttApplicationMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.ResponseTopic))
        {
            return null;
        }

        var own = GatewayAck.TopicForMessage(request.Topic);
        var correlation = request.CorrelationData;
        if (own is null || !string.Equals(request.ResponseTopic, own, StringComparison.Ordinal) || correlation is null || correlation.Length > GatewayAck.MaxCorrelationBytes)
        {
            WarnOnce(request.Topic, request.ResponseTopic);
            return null;
        }

        return new MqttApplicationMessageBuilder()
            .WithTopic(own)
            .WithPayload(GatewayAck.StoredPayload.ToArray())
            .WithCorrelationData(correlation)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
    }

    /// <summary>
    /// Publishes <paramref name="ack"/> without holding up the caller. A lost acknowledgement costs nothing but a resend:
    /// the gateway sends the message again after its timeout and ingestion absorbs the redelivery.
    /// </summary>
    public void Send(IMqttClient client, MqttApplicationMessage ack, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pending);
        _ = SendAsync(client, ack, cancellationToken);
    }

    /// <summary>Waits until every acknowledgement handed to <see cref="Send"/> has been taken or refused by the broker.</summary>
    public async Task WaitUntilSentAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _pending) > 0)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _inFlight.Dispose();

    private async Task SendAsync(IMqttClient client, MqttApplicationMessage ack, CancellationToken cancellationToken)
    {
        try
        {
            await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            Interlocked.Decrement(ref _pending);
            return;
        }

        try
        {
            var result = await client.PublishAsync(ack, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                Interlocked.Increment(ref _sent);
            }
            else
            {
                LogAckRefused(ack.Topic, result.ReasonCode.ToString(), result.ReasonString ?? string.Empty);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            LogAckNotSent(ack.Topic, e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
            try
            {
                _inFlight.Release();
            }
            catch (ObjectDisposedException)
            {
                // Shutting down.
            }
        }
    }

    private void WarnOnce(string topic, string responseTopic)
    {
        lock (_warned)
        {
            if (!_warned.Add(topic))
            {
                return;
            }
        }

        LogResponseTopicRefused(topic, responseTopic, GatewayAck.TopicForMessage(topic) ?? "(none: not a gateway topic)");
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Message on {Topic} asks for its acknowledgement on {ResponseTopic}; only {OwnTopic} (with Correlation Data of at most 64 bytes) is answered")]
    private partial void LogResponseTopicRefused(string topic, string responseTopic, string ownTopic);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Broker refused the acknowledgement on {Topic}: {Reason} {ReasonString}; the gateway will send the message again")]
    private partial void LogAckRefused(string topic, string reason, string reasonString);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Debug, Message = "Acknowledgement on {Topic} not sent: {Reason}; the gateway will send the message again")]
    private partial void LogAckNotSent(string topic, string reason);
}
