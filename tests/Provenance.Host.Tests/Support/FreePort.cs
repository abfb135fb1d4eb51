using System.Net;
using System.Net.Sockets;

namespace Provenance.Host.Tests.Support;

/// <summary>A free TCP port on 127.0.0.1 (bound to port 0, read, released).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
