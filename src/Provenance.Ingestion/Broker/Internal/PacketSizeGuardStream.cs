namespace Provenance.Ingestion.Broker.Internal;

/// <summary>
/// Follows the MQTT framing of what a client sends (fixed header, remaining length, body) and fails the read that
/// would hand over a fixed header announcing a packet larger than the limit — before MQTTnet allocates a buffer of
/// the announced size (up to 256 MiB per connection otherwise). A malformed remaining length fails too.
/// Not thread-safe for reads (one reader per connection, as MQTTnet reads); writes pass through.
/// </summary>
internal sealed class PacketSizeGuardStream(Stream inner, int maxPacketBytes) : Stream
{
    private int _state; // 0: expecting the first header byte, 1: reading the remaining length, 2: in a body
    private long _remaining;
    private int _lengthBytes;
    private int _shift;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Inspect(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case 0:
                    i++;
                    (_state, _remaining, _lengthBytes, _shift) = (1, 0, 0, 0);
                    break;
                case 1:
                    var b = data[i++];
                    _remaining |= (long)(b & 0x7F) << _shift;
                    _shift += 7;
                    if (++_lengthBytes > 4 || (_lengthBytes == 4 && (b & 0x80) != 0))
                    {
                        throw new PacketTooLargeException("malformed remaining length");
                    }

                    if (_remaining > maxPacketBytes)
                    {
                        throw new PacketTooLargeException($"a packet of more than {maxPacketBytes} bytes (Broker:MaxPacketBytes)");
                    }

                    if ((b & 0x80) == 0)
                    {
                        _state = _remaining == 0 ? 0 : 2;
                    }

                    break;
                default:
                    var take = (int)Math.Min(_remaining, data.Length - i);
                    i += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = 0;
                    }

                    break;
            }
        }
    }
}
