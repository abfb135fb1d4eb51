using System.Net;
using System.Net.Sockets;

namespace Provenance.Testing;

/// <summary>
/// A TCP port on 127.0.0.1 that was free a moment ago, for a server a test starts. Chosen at random below the kernel's
/// ephemeral range when there is room: a port from that range (what binding port 0 gives) can be taken, before the
/// server binds it, as the local port of any outgoing connection, and the other test lane makes thousands of those
/// (a CI run lost a fixture's management port that way). Below the range only an explicit bind can take it.
/// </summary>
public static class FreePort
{
    private const int Lowest = 20_000;
    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    public static int Next()
    {
        var ephemeralStart = EphemeralStart();
        if (ephemeralStart - Lowest >= 1_000)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var port = Random.Shared.Next(Lowest, ephemeralStart);
                if (IsFree(port))
                {
                    return port;
                }
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int EphemeralStart()
    {
        try
        {
            var first = File.ReadAllText(EphemeralRange).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, out var port) ? port : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
