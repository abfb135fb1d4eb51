using System.Buffers.Binary;
using System.Text;
using Provenance.Core.Gateways;

namespace Provenance.FirmwareSim.Queue;

/// <summary>
/// The on-disk record of a queued message: <c>u32 length | body | u32 FNV-1a(body)</c>, little-endian, where body is
/// <c>u8 kind | i64 lastSeq | i64 codesConsumed | u16 topic length | topic | u32 ids length | ids ('\n'-joined) | payload</c>.
/// A record whose length or checksum does not match is a torn write at the tail.
/// </summary>
internal static class QueueRecordFormat
{
    public const int MaxBodyLength = 64 * 1024 * 1024;

    public static byte[] Encode(QueuedMessage message)
    {
        var topic = Encoding.UTF8.GetBytes(message.Topic);
        var ids = Encoding.UTF8.GetBytes(string.Join('\n', message.EventIds));
        var bodyLength = 1 + 8 + 8 + 2 + topic.Length + 4 + ids.Length + message.Payload.Length;
        var record = new byte[4 + bodyLength + 4];
        var span = record.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, bodyLength);
        var body = span.Slice(4, bodyLength);
        body[0] = (byte)message.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(body[1..], message.LastSequence);
        BinaryPrimitives.WriteInt64LittleEndian(body[9..], message.CodesConsumed);
        BinaryPrimitives.WriteUInt16LittleEndian(body[17..], checked((ushort)topic.Length));
        topic.CopyTo(body[19..]);
        var at = 19 + topic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(body[at..], ids.Length);
        ids.CopyTo(body[(at + 4)..]);
        message.Payload.CopyTo(body[(at + 4 + ids.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(4 + bodyLength)..], Fnv1a(body));
        return record;
    }

    /// <summary>Reads one record; null at a clean end of file or a torn/corrupt tail (then the stream position is undefined).</summary>
    public static QueuedMessage? Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[4];
        if (stream.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4)
        {
            return null;
        }

        var bodyLength = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (bodyLength is < 23 or > MaxBodyLength)
        {
            return null;
        }

        var rest = new byte[bodyLength + 4];
        if (stream.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false) < rest.Length)
        {
            return null;
        }

        var body = rest.AsSpan(0, bodyLength);
        if (BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan(bodyLength)) != Fnv1a(body))
        {
            return null;
        }

        var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(body[17..]);
        var at = 19 + topicLength;
        var idsLength = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
        var ids = Encoding.UTF8.GetString(body.Slice(at + 4, idsLength));
        return new QueuedMessage
        {
            Kind = (GatewayMessageKind)body[0],
            LastSequence = BinaryPrimitives.ReadInt64LittleEndian(body[1..]),
            CodesConsumed = BinaryPrimitives.ReadInt64LittleEndian(body[9..]),
            Topic = Encoding.UTF8.GetString(body.Slice(19, topicLength)),
            EventIds = ids.Length == 0 ? [] : ids.Split('\n'),
            Payload = body[(at + 4 + idsLength)..].ToArray(),
        };
    }

    public static uint Fnv1a(ReadOnlySpan<byte> data)
    {
        var hash = 2166136261u;
        foreach (var b in data)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
