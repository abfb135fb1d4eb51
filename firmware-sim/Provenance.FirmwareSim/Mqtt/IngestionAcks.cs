using MQTTnet;
using Provenance.Core.Gateways;

namespace Provenance.FirmwareSim.Mqtt;

/// <summary>
/// Ingestion's end-to-end acknowledgements for one gateway (<see cref="GatewayAck"/>): the queue indexes whose message
/// ingestion has durably stored, as they arrive on the gateway's acknowledgement topic. Thread-safe.
/// </summary>
internal sealed class IngestionAcks(string siteId, string gatewayId)
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _stored = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The gateway's acknowledgement topic (also the Response Topic of every publish).</summary>
    public string Topic { get; } = GatewayAck.TopicFor(siteId, gatewayId);

    /// <summary>Completes at the next acknowledgement.</summary>
    public Task Changed { get { lock (_gate) { return _changed.Task; } } }

    /// <summary>Takes an acknowledgement from the broker (other messages are ignored).</summary>
    public Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (message.Topic != Topic || !GatewayAck.TryReadCorrelation(message.CorrelationData, out var index))
        {
            return Task.CompletedTask;
        }

        Mark(index);
        return Task.CompletedTask;
    }

    /// <summary>Records <paramref name="index"/> as done (acknowledged, or refused for good by the broker).</summary>
    public void Mark(long index)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _stored.Add(index);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Forgets late acknowledgements of messages that already left the queue.</summary>
    public void ForgetBelow(long index)
    {
        lock (_gate)
        {
            _stored.RemoveWhere(i => i < index);
        }
    }

    /// <summary>True (and forgets it) when <paramref name="index"/> was acknowledged.</summary>
    public bool Take(long index)
    {
        lock (_gate)
        {
            return _stored.Remove(index);
        }
    }
}
