using System.Security.Cryptography;

namespace Provenance.Fabric;

/// <summary>
/// Hash functions for <see cref="GatewayOptions.Hash"/>. The digest produced is what a signer signs.
/// Stateless and thread-safe.
/// </summary>
public static class Hashes
{
    /// <summary>SHA-256, the Fabric default for ECDSA P-256 identities.</summary>
    public static byte[] Sha256(ReadOnlySpan<byte> message) => SHA256.HashData(message);

    /// <summary>SHA-384, for ECDSA P-384 identities.</summary>
    public static byte[] Sha384(ReadOnlySpan<byte> message) => SHA384.HashData(message);
}
