using System.Net;
using System.Net.Sockets;

namespace Provenance.Api.Http;

/// <summary>
/// A client's network identity, the unit that limits and scanner ids count: an IPv4 address, or the /64 prefix of an
/// IPv6 address (one host can rotate through a whole /64 at will).
/// </summary>
public static class ClientNetwork
{
    /// <summary>The identity of <paramref name="address"/> (IPv4-mapped addresses count as IPv4), or null.</summary>
    public static IPAddress? Of(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
