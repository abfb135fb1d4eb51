using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Provenance.Ingestion.Tests.Boundary.Support;

/// <summary>
/// An MQTT 5 client written byte by byte, for what a well-behaved client library refuses to send: QoS 3, wildcards
/// in a PUBLISH topic, topic aliases, absurd packet lengths. Reads the broker's answers as raw packets.
/// </summary>
public sealed class RawMqttConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawMqttConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawMqttConnection> OpenAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new RawMqttConnection(tcp);
    }

    /// <summary>Sends CONNECT (MQTT 5, clean start, user name and password) and returns the CONNACK reason code.</summary>
    public async Task<byte> ConnectAsync(string clientId, string username, string password)
    {
        var body = new List<byte>();
        body.AddRange(Str("MQTT"));
        body.Add(5);
        body.Add(0b1100_0010);
        body.AddRange([0, 60]);
        body.Add(0);
        body.AddRange(Str(clientId));
        body.AddRange(Str(username));
        body.AddRange(Str(password));
        await SendAsync(Packet(0x10, body));
        var (type, connAck) = await ReadPacketAsync() ?? throw new InvalidOperationException("the broker closed the connection instead of answering CONNECT");
        Assert.Equal(0x20, type & 0xF0);
        return connAck[1];
    }

    /// <summary>A PUBLISH packet with any flags (QoS bits included), an optional topic alias, and the payload.</summary>
    public static byte[] Publish(string topic, byte[] payload, int qos = 1, ushort packetId = 1, ushort topicAlias = 0)
    {
        var body = new List<byte>();
        body.AddRange(Str(topic));
        if (qos > 0)
        {
            body.AddRange([(byte)(packetId >> 8), (byte)packetId]);
        }

        if (topicAlias == 0)
        {
            body.Add(0);
        }
        else
        {
            body.AddRange([3, 0x23, (byte)(topicAlias >> 8), (byte)topicAlias]);
        }

        body.AddRange(payload);
        return Packet((byte)(0x30 | (qos << 1)), body);
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>The next packet (first byte, body), or null when the broker closed the connection.</summary>
    public async Task<(byte Type, byte[] Body)?> ReadPacketAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            var first = new byte[1];
            if (await _stream.ReadAsync(first, cts.Token) == 0)
            {
                return null;
            }

            int length = 0, shift = 0;
            byte b;
            do
            {
                var one = new byte[1];
                if (await _stream.ReadAsync(one, cts.Token) == 0)
                {
                    return null;
                }

                b = one[0];
                length |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);

            var body = new byte[length];
            await _stream.ReadExactlyAsync(body, cts.Token);
            return (first[0], body);
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>Reads until the broker closes the connection; returns the reason code of a DISCONNECT it sent first, if any.</summary>
    public async Task<byte?> WaitClosedAsync(TimeSpan? timeout = null)
    {
        byte? reason = null;
        while (await ReadPacketAsync(timeout) is { } packet)
        {
            Assert.True((packet.Type & 0xF0) == 0xE0, $"expected the connection to close, got packet type 0x{packet.Type:X2}");
            reason = packet.Body.Length > 0 ? packet.Body[0] : (byte)0;
        }

        return reason;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    public static byte[] Packet(byte header, IReadOnlyCollection<byte> body)
    {
        var bytes = new List<byte> { header };
        var length = body.Count;
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            bytes.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);

        bytes.AddRange(body);
        return [.. bytes];
    }

    private static byte[] Str(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }
}
