using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Provenance.Host.Tests.Support;

/// <summary>
/// A plain TCP connection from a chosen loopback address (the whole of 127.0.0.0/8 is this machine, so each address is
/// another client to the server), speaking just enough HTTP/1.1 to send a request and read the status line.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly Socket? _socket;

    private RawHttpConnection(Socket? socket) => _socket = socket;

    /// <summary>Connects from <paramref name="fromAddress"/>; the server may still close (or reset) it at once, which <see cref="GetAsync"/> reports.</summary>
    public static async Task<RawHttpConnection> OpenAsync(string fromAddress, int port, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(fromAddress), 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new RawHttpConnection(socket);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            socket.Dispose();
            return new RawHttpConnection(null); // accepted and reset before the connect call returned: refused
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <c>GET path</c> and returns the status code, or null when the server closed the connection instead of answering.</summary>
    public async Task<int?> GetAsync(string path, TimeSpan timeout)
    {
        if (_socket is null)
        {
            return null;
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), SocketFlags.None, cts.Token);
            var buffer = new byte[16 * 1024];
            var text = new StringBuilder();
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (read == 0)
                {
                    return null;
                }

                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var all = text.ToString();
                var headersEnd = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headersEnd < 0)
                {
                    continue;
                }

                var length = all.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
                    ? int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
                    : 0;
                var chunked = all.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
                if ((!chunked && Encoding.ASCII.GetByteCount(all) - (headersEnd + 4) >= length) || (chunked && all.EndsWith("0\r\n\r\n", StringComparison.Ordinal)))
                {
                    var status = all.Split(' ', 3);
                    return status.Length >= 2 && status[0].StartsWith("HTTP/", StringComparison.Ordinal) ? int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture)
                        : throw new InvalidDataException($"not an HTTP response: {all[..Math.Min(all.Length, 200)]}");
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return null; // closed or reset by the server
        }
    }

    public void Dispose() => _socket?.Dispose();
}
