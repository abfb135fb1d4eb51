using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace Provenance.Ingestion.Tests.EventHubs.Support;

/// <summary>One partition's retained events, in sequence-number order; offsets are sequence number × 100.</summary>
internal sealed class Partition
{
    private readonly List<Message> _events = [];
    private readonly Signal _appended = new();
    private long _highestDelivered = -1;

    public long Count
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>The highest sequence number handed to a receive link so far (-1: none), what a client has received or is receiving.</summary>
    public long HighestDelivered => Interlocked.Read(ref _highestDelivered);

    public long Append(HubEvent hubEvent)
    {
        long sequence;
        lock (_events)
        {
            sequence = _events.Count;
            var now = DateTime.UtcNow;
            var message = new Message
            {
                BodySection = new Data { Binary = hubEvent.Body },
                Properties = new Properties { MessageId = Guid.NewGuid().ToString("N"), ContentType = new Symbol("application/jose"), ContentEncoding = new Symbol("us-ascii") },
                MessageAnnotations = new MessageAnnotations(),
                ApplicationProperties = new ApplicationProperties(),
            };
            message.MessageAnnotations[new Symbol("x-opt-sequence-number")] = sequence;
            message.MessageAnnotations[new Symbol("x-opt-offset")] = (sequence * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
            message.MessageAnnotations[new Symbol("x-opt-enqueued-time")] = now;
            message.MessageAnnotations[new Symbol("iothub-enqueuedtime")] = now;
            message.MessageAnnotations[new Symbol("iothub-message-source")] = "Telemetry";
            if (hubEvent.DeviceId is not null)
            {
                message.MessageAnnotations[new Symbol("iothub-connection-device-id")] = hubEvent.DeviceId;
                message.MessageAnnotations[new Symbol("iothub-connection-auth-method")] = """{"scope":"device","type":"sas","issuer":"iothub","acceptingIpFilterRule":null}""";
            }

            foreach (var (name, value) in hubEvent.Properties)
            {
                message.ApplicationProperties[name] = value;
            }

            _events.Add(message);
        }

        _appended.Pulse();
        return sequence;
    }

    public async Task<Message> NextAsync(long sequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            var appended = _appended.Next;
            lock (_events)
            {
                if (sequence < _events.Count)
                {
                    _highestDelivered = Math.Max(_highestDelivered, sequence);

                    // Each link gets its own copy: AMQPNetLite encodes the message it sends.
                    return Message.Decode(_events[(int)sequence].Encode());
                }
            }

            await appended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Feeds one receive link from its start position, as credit allows.</summary>
internal sealed class PartitionFeed(Partition partition, long next, CancellationToken stopping) : IMessageSource
{
    public async Task<ReceiveContext> GetMessageAsync(ListenerLink link)
    {
        var message = await partition.NextAsync(Interlocked.Increment(ref next) - 1, stopping).ConfigureAwait(false);
        return new ReceiveContext(link, message);
    }

    public void DisposeMessage(ReceiveContext receiveContext, DispositionContext dispositionContext) => dispositionContext.Complete();
}
