namespace Provenance.FirmwareSim.Queue;

/// <summary>
/// A durable FIFO of outgoing messages in a directory: append-only segment files (each record fsynced before
/// <see cref="Append"/> returns) and a cursor of what the broker acknowledged. It survives restarts; a torn record at
/// the tail (a crash mid-write) is cut off on open. One process at a time (an exclusive lock file). Thread-safe.
/// </summary>
public sealed class FileMessageQueue : IDisposable
{
    /// <summary>The default segment size after which a new segment file is started.</summary>
    public const long DefaultSegmentBytes = 4 * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly FileStream _lockFile;
    private readonly QueueCursor _cursor;
    private readonly List<QueueSegment> _segments;
    private FileStream? _writer;
    private FileStream? _reader;
    private QueueSegment? _readerSegment;
    private long _readerIndex;
    private QueuedMessage? _peeked;
    private TaskCompletionSource _changed = NewSignal();
    private bool _disposed;

    private FileMessageQueue(string directory, long segmentBytes, FileStream lockFile, QueueCursor cursor, List<QueueSegment> segments, long lastSequence, long codesConsumed)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _lockFile = lockFile;
        _cursor = cursor;
        _segments = segments;
        LastSequence = lastSequence;
        CodesConsumed = codesConsumed;
    }

    /// <summary>How many messages were ever appended (the index the next one gets).</summary>
    public long AppendedCount { get { lock (_gate) { return _segments.Count == 0 ? _cursor.Index : _segments[^1].EndIndex; } } }

    /// <summary>How many messages, from the start, the broker has acknowledged.</summary>
    public long AcknowledgedCount { get { lock (_gate) { return _cursor.Index; } } }

    /// <summary>Messages waiting to be acknowledged.</summary>
    public long Backlog => AppendedCount - AcknowledgedCount;

    /// <summary>The highest seal sequence number found in the queue or its cursor when opened, or appended since.</summary>
    public long LastSequence { get; private set; }

    /// <summary>How many codes the gateway had consumed, as recorded with the newest message.</summary>
    public long CodesConsumed { get; private set; }

    /// <summary>Opens (or creates) the queue in <paramref name="directory"/>, repairing a torn tail.</summary>
    public static FileMessageQueue Open(string directory, long segmentBytes = DefaultSegmentBytes)
    {
        Directory.CreateDirectory(directory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"queue directory '{directory}' is in use by another simulator", e);
        }

        var cursor = QueueCursor.Open(Path.Combine(directory, "cursor"));
        long lastSequence = cursor.LastSequence, codes = cursor.CodesConsumed;
        var segments = new List<QueueSegment>();
        var files = Directory.GetFiles(directory, "*" + QueueSegment.Extension)
            .Select(p => (Path: p, Ok: QueueSegment.TryParse(p, out var first), First: first))
            .Where(f => f.Ok).OrderBy(f => f.First).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            var segment = new QueueSegment(files[i].Path, files[i].First);
            using (var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                while (QueueRecordFormat.Read(stream) is { } record)
                {
                    segment.Count++;
                    segment.Length = stream.Position;
                    lastSequence = Math.Max(lastSequence, record.LastSequence);
                    codes = Math.Max(codes, record.CodesConsumed);
                }

                if (stream.Length != segment.Length)
                {
                    if (i != files.Count - 1)
                    {
                        throw new InvalidDataException($"queue segment '{segment.Path}' is damaged before the tail of the queue");
                    }

                    stream.SetLength(segment.Length);
                    stream.Flush(flushToDisk: true);
                }
            }

            if (i > 0 && segments[^1].EndIndex != segment.FirstIndex)
            {
                throw new InvalidDataException($"queue segment '{segment.Path}' does not follow its predecessor");
            }

            segments.Add(segment);
        }

        return new FileMessageQueue(directory, segmentBytes, lockFile, cursor, segments, lastSequence, codes);
    }

    /// <summary>Appends a message durably (written and fsynced) and returns its index.</summary>
    public long Append(QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var record = QueueRecordFormat.Encode(message);
        TaskCompletionSource signal;
        long index;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_segments.Count == 0 || _writer is null || _segments[^1].Length >= _segmentBytes)
            {
                OpenWriter();
            }

            var segment = _segments[^1];
            _writer!.Write(record);
            _writer.Flush(flushToDisk: true);
            index = segment.EndIndex;
            segment.Count++;
            segment.Length += record.Length;
            LastSequence = Math.Max(LastSequence, message.LastSequence);
            CodesConsumed = Math.Max(CodesConsumed, message.CodesConsumed);
            signal = Swap();
        }

        signal.TrySetResult();
        return index;
    }

    /// <summary>The oldest unacknowledged message, waiting until there is one.</summary>
    public async Task<(long Index, QueuedMessage Message)> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_cursor.Index < (_segments.Count == 0 ? _cursor.Index : _segments[^1].EndIndex))
                {
                    return (_cursor.Index, _peeked ??= ReadAt(_cursor.Index));
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The message at <paramref name="index"/> (the oldest unacknowledged one or a later one), waiting until it is
    /// appended. Reading forward from the last read index is cheap; reading backwards re-reads its segment.
    /// </summary>
    public async Task<QueuedMessage> ReadAsync(long index, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (index < _cursor.Index)
                {
                    throw new InvalidOperationException($"message {index} is already acknowledged (the oldest unacknowledged one is {_cursor.Index})");
                }

                if (index < (_segments.Count == 0 ? _cursor.Index : _segments[^1].EndIndex))
                {
                    return index == _cursor.Index ? _peeked ??= ReadAt(index) : ReadAt(index);
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when the message at <paramref name="index"/> has been appended.</summary>
    public async Task WaitForAppendAsync(long index, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (index < (_segments.Count == 0 ? _cursor.Index : _segments[^1].EndIndex))
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks the oldest message (which must be <paramref name="index"/>, read by <see cref="PeekAsync"/>) acknowledged, durably.</summary>
    public void Acknowledge(long index) => Release(index, null);

    /// <summary>Marks the oldest message (which must be <paramref name="index"/>, as read before) acknowledged, durably.</summary>
    public void Acknowledge(long index, QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Release(index, message);
    }

    private void Release(long index, QueuedMessage? message)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var released = message ?? _peeked;
            if (index != _cursor.Index || released is null)
            {
                throw new InvalidOperationException($"acknowledging message {index} but the oldest peeked message is {_cursor.Index}");
            }

            _cursor.Write(index + 1, Math.Max(_cursor.LastSequence, released.LastSequence), Math.Max(_cursor.CodesConsumed, released.CodesConsumed));
            _peeked = null;
            DeleteAcknowledgedSegments();
            signal = Swap();
        }

        signal.TrySetResult();
    }

    /// <summary>Completes when every appended message has been acknowledged.</summary>
    public async Task WaitDrainedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_segments.Count == 0 || _cursor.Index >= _segments[^1].EndIndex)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer?.Dispose();
            _reader?.Dispose();
            _cursor.Dispose();
            _lockFile.Dispose();
            _changed.TrySetCanceled();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TaskCompletionSource Swap()
    {
        var old = _changed;
        _changed = NewSignal();
        return old;
    }

    private void OpenWriter()
    {
        _writer?.Dispose();
        var first = _segments.Count == 0 ? _cursor.Index : _segments[^1].EndIndex;
        if (_segments.Count > 0 && _segments[^1].Length < _segmentBytes)
        {
            _writer = new FileStream(_segments[^1].Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            return;
        }

        var segment = new QueueSegment(Path.Combine(_directory, QueueSegment.FileName(first)), first);
        _writer = new FileStream(segment.Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _segments.Add(segment);
    }

    private QueuedMessage ReadAt(long index)
    {
        var segment = _segments.Last(s => s.FirstIndex <= index);
        if (_reader is null || _readerSegment != segment || _readerIndex != index)
        {
            _reader?.Dispose();
            _reader = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _readerSegment = segment;
            _readerIndex = segment.FirstIndex;
            while (_readerIndex < index)
            {
                _ = QueueRecordFormat.Read(_reader) ?? throw new InvalidDataException($"queue segment '{segment.Path}' ends before message {index}");
                _readerIndex++;
            }
        }

        var message = QueueRecordFormat.Read(_reader) ?? throw new InvalidDataException($"queue message {index} in '{segment.Path}' is unreadable");
        _readerIndex++;
        return message;
    }

    private void DeleteAcknowledgedSegments()
    {
        while (_segments.Count > 1 && _segments[0].EndIndex <= _cursor.Index)
        {
            if (_readerSegment == _segments[0])
            {
                _reader?.Dispose();
                _reader = null;
                _readerSegment = null;
            }

            File.Delete(_segments[0].Path);
            _segments.RemoveAt(0);
        }
    }
}
