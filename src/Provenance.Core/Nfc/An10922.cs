namespace Provenance.Core.Nfc;

/// <summary>
/// AES-128 key diversification of NXP AN10922 §2.2: <c>K' = CMAC(K, 01h || M || padding)</c>, where M is the 1..31-byte
/// diversification input and the CMAC input is always two blocks (padded with <c>80h 00h…</c>, last block masked
/// with subkey K2, when <c>01h || M</c> is shorter than 32 bytes; masked with K1 otherwise). Thread-safe.
/// </summary>
public static class An10922
{
    public const int MaxInputBytes = 31;

    /// <summary>The diversified AES-128 key of <paramref name="masterKey"/> for input <paramref name="m"/>.</summary>
    public static byte[] Diversify(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> m)
    {
        if (m.Length is 0 or > MaxInputBytes)
        {
            throw new ArgumentException($"AN10922 diversification input must be 1..{MaxInputBytes} bytes, got {m.Length}", nameof(m));
        }

        // 01h || M is 2..32 bytes. Above one block, the RFC 4493 CMAC of it is exactly AN10922's two-block
        // construction (same padding, same subkey choice). A 1..15-byte M would be padded to one block only by
        // RFC 4493, so those inputs get AN10922's explicit two-block padding instead, masked with K2.
        Span<byte> d = stackalloc byte[32];
        d[0] = 0x01;
        m.CopyTo(d[1..]);
        var length = 1 + m.Length;
        if (length > AesCmac.BlockSize)
        {
            return AesCmac.Compute(masterKey, d[..length]);
        }

        d[length] = 0x80;
        using var cmac = new AesCmac(masterKey);
        return cmac.ComputePadded(d);
    }
}
