using System.Net;
using System.Net.Sockets;

namespace Provenance.Testing;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read, released).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
