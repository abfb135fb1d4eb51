using System.Buffers.Binary;

namespace Provenance.FirmwareSim.Queue;

/// <summary>
/// The acknowledged position of the queue, with the seal progress it covers, in a file of two 32-byte slots
/// (<c>i64 index | i64 lastSeq | i64 codesConsumed | u32 FNV-1a | u32 0</c>) written alternately and fsynced:
/// a torn write damages at most the slot being written, and the other still holds the previous position.
/// </summary>
internal sealed class QueueCursor : IDisposable
{
    private const int SlotSize = 32;
    private readonly FileStream _file;

    private QueueCursor(FileStream file, long index, long lastSequence, long codesConsumed)
    {
        _file = file;
        Index = index;
        LastSequence = lastSequence;
        CodesConsumed = codesConsumed;
    }

    /// <summary>How many messages, from the start of the queue, have been acknowledged.</summary>
    public long Index { get; private set; }

    public long LastSequence { get; private set; }

    public long CodesConsumed { get; private set; }

    public static QueueCursor Open(string path)
    {
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        var bytes = new byte[SlotSize * 2];
        var read = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        (long Index, long Seq, long Codes)? best = null;
        for (var slot = 0; slot < 2 && (slot + 1) * SlotSize <= read; slot++)
        {
            var span = bytes.AsSpan(slot * SlotSize, SlotSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[24..]) != QueueRecordFormat.Fnv1a(span[..24]))
            {
                continue;
            }

            var index = BinaryPrimitives.ReadInt64LittleEndian(span);
            if (best is null || index > best.Value.Index)
            {
                best = (index, BinaryPrimitives.ReadInt64LittleEndian(span[8..]), BinaryPrimitives.ReadInt64LittleEndian(span[16..]));
            }
        }

        return new QueueCursor(file, best?.Index ?? 0, best?.Seq ?? 0, best?.Codes ?? 0);
    }

    /// <summary>Durably records a new position (fsync before returning).</summary>
    public void Write(long index, long lastSequence, long codesConsumed)
    {
        Span<byte> slot = stackalloc byte[SlotSize];
        slot.Clear();
        BinaryPrimitives.WriteInt64LittleEndian(slot, index);
        BinaryPrimitives.WriteInt64LittleEndian(slot[8..], lastSequence);
        BinaryPrimitives.WriteInt64LittleEndian(slot[16..], codesConsumed);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[24..], QueueRecordFormat.Fnv1a(slot[..24]));
        _file.Position = (index % 2) * SlotSize;
        _file.Write(slot);
        _file.Flush(flushToDisk: true);
        Index = index;
        LastSequence = lastSequence;
        CodesConsumed = codesConsumed;
    }

    public void Dispose() => _file.Dispose();
}
