namespace Provenance.FirmwareSim;

/// <summary>Live counters of a simulator run; safe to read from any thread while it runs.</summary>
public sealed class SimulatorCounters
{
    private long _sealsQueued;
    private long _sealMessagesQueued;
    private long _gnssMessagesQueued;
    private long _messagesSent;
    private long _sealsSent;
    private long _messagesAcked;
    private long _sealsAcked;
    private long _messagesRejected;
    private long _sealsPublished;
    private long _notTaken;
    private long _resent;
    private int _endToEnd;
    private long _connects;
    private long _connectFailures;
    private int _connected;

    /// <summary>New seal events queued (replayed events not included).</summary>
    public long SealsQueued => Interlocked.Read(ref _sealsQueued);

    /// <summary>Seal messages queued, replays included.</summary>
    public long SealMessagesQueued => Interlocked.Read(ref _sealMessagesQueued);

    /// <summary>GNSS messages (epochs) queued.</summary>
    public long GnssMessagesQueued => Interlocked.Read(ref _gnssMessagesQueued);

    /// <summary>Publish attempts of queued messages (a message re-sent after a reconnect counts again).</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>Seal events in publish attempts.</summary>
    public long SealsSent => Interlocked.Read(ref _sealsSent);

    /// <summary>Queued messages the broker acknowledged (PUBACK).</summary>
    public long MessagesAcked => Interlocked.Read(ref _messagesAcked);

    /// <summary>Seal events in acknowledged messages.</summary>
    public long SealsAcked => Interlocked.Read(ref _sealsAcked);

    /// <summary>Seal events the broker acknowledged with PUBACK (counted once per message, however often it was sent).</summary>
    public long SealsPublished => Interlocked.Read(ref _sealsPublished);

    /// <summary>Publishes the broker did not deliver (e.g. no matching subscribers): kept and sent again.</summary>
    public long PublishesNotTaken => Interlocked.Read(ref _notTaken);

    /// <summary>End-to-end mode: messages sent again because ingestion's acknowledgement did not come in time or the connection dropped.</summary>
    public long MessagesResent => Interlocked.Read(ref _resent);

    /// <summary>Whether the current connection releases messages on ingestion's end-to-end acknowledgement (else on PUBACK).</summary>
    public bool EndToEndAcknowledgement => Volatile.Read(ref _endToEnd) != 0;

    /// <summary>Messages the broker refused with a PUBACK error reason (dropped, not retried).</summary>
    public long MessagesRejected => Interlocked.Read(ref _messagesRejected);

    /// <summary>Successful connections to the broker.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Failed connection attempts.</summary>
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    /// <summary>Whether the simulator is connected now.</summary>
    public bool IsConnected => Volatile.Read(ref _connected) != 0;

    internal void Queued(int sealEvents, bool replay)
    {
        if (sealEvents == 0)
        {
            Interlocked.Increment(ref _gnssMessagesQueued);
            return;
        }

        Interlocked.Increment(ref _sealMessagesQueued);
        if (!replay)
        {
            Interlocked.Add(ref _sealsQueued, sealEvents);
        }
    }

    internal void Sent(int sealEvents)
    {
        Interlocked.Increment(ref _messagesSent);
        Interlocked.Add(ref _sealsSent, sealEvents);
    }

    internal void Acked(int sealEvents)
    {
        Interlocked.Increment(ref _messagesAcked);
        Interlocked.Add(ref _sealsAcked, sealEvents);
    }

    internal void Rejected() => Interlocked.Increment(ref _messagesRejected);

    internal void Published(int sealEvents) => Interlocked.Add(ref _sealsPublished, sealEvents);

    internal void NotTaken() => Interlocked.Increment(ref _notTaken);

    internal void Resent(int messages) => Interlocked.Add(ref _resent, messages);

    internal void EndToEnd(bool endToEnd) => Volatile.Write(ref _endToEnd, endToEnd ? 1 : 0);

    internal void Connected(bool connected)
    {
        if (connected)
        {
            Interlocked.Increment(ref _connects);
        }

        Volatile.Write(ref _connected, connected ? 1 : 0);
    }

    internal void ConnectFailed() => Interlocked.Increment(ref _connectFailures);
}
