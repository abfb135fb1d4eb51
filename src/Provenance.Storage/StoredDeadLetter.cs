namespace Provenance.Storage;

/// <summary>
/// A dead letter as stored: when, the topic, the reason and the original bytes of its message, kept once per message
/// and cut at <see cref="DeadLetterQuota.MaxPayloadBytes"/> (<see cref="PayloadLength"/> is the original length).
/// </summary>
public sealed record StoredDeadLetter(long Id, DateTimeOffset ReceivedAt, string? Topic, string ReasonCode, string Reason, string? EventId, byte[] Payload, long PayloadLength = 0, long? MessageId = null)
{
    public bool IsTruncated => PayloadLength > Payload.Length;
}
