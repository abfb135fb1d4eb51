using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Provenance.Api.Http;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>
/// The opaque scanner id recorded with each scan: a keyed hash of the client's network identity (its IPv4 address,
/// or the /64 prefix of its IPv6 address, which a single host can rotate within) under a key derived from the persisted
/// server secret, so ids survive restarts and agree across replicas, and no address is ever stored. Headers such as
/// the user agent are not part of it: a client cannot mint new scanner ids by changing what it says about itself.
/// Thread-safe.
/// </summary>
public sealed class ScannerIdentity(ServerSecret serverSecret)
{
    private readonly byte[] _key = serverSecret.Derive(ServerSecret.Scanners);

    /// <summary>The scanner id of a client address (null: the connection had none).</summary>
    public string Of(IPAddress? address)
    {
        var network = NetworkIdentity(address);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, network).AsSpan(0, 8));
    }

    private static byte[] NetworkIdentity(IPAddress? address) => ClientNetwork.Of(address) is { } network ? network.GetAddressBytes()[..(network.AddressFamily == AddressFamily.InterNetworkV6 ? 8 : 4)] : [];
}
