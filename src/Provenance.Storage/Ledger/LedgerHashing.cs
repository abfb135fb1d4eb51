using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Provenance.Storage.Ledger;

/// <summary>
/// The byte formats of the embedded ledger (format 2), exactly as <c>docs/ledger-format.md</c> describes them so that a
/// browser can recompute them with WebCrypto: a leaf hash per entry, RFC 6962-style Merkle nodes (0x00 / 0x01 domain
/// prefixes), a block header signed with ECDSA P-256 over SHA-256, and a signed head. Stateless and thread-safe.
/// </summary>
public static class LedgerHashing
{
    /// <summary>Length of a leaf's hashed bytes: 0x00, index, and three SHA-256 digests.</summary>
    public const int LeafInputLength = 1 + 8 + 32 + 32 + 32;

    private static ReadOnlySpan<byte> HeadTag => "provenance-head-v2"u8;

    /// <summary>The previous-hash of the first block: 32 zero bytes.</summary>
    public static byte[] Genesis { get; } = new byte[32];

    /// <summary>SHA-256(0x00 ‖ u64be index ‖ SHA-256(event id, UTF-8) ‖ SHA-256(record, UTF-8) ‖ SHA-256(gateway JWS, ASCII)).</summary>
    public static byte[] LeafHash(long index, string eventId, string recordJson, ReadOnlySpan<byte> messageHash)
    {
        Span<byte> input = stackalloc byte[LeafInputLength];
        input[0] = 0x00;
        BinaryPrimitives.WriteInt64BigEndian(input[1..], index);
        Utf8Hash(eventId, input.Slice(9, 32));
        Utf8Hash(recordJson, input.Slice(41, 32));
        messageHash.CopyTo(input[73..]);
        return SHA256.HashData(input);
    }

    /// <summary>SHA-256 of the gateway's compact JWS as ASCII, the message part of a leaf.</summary>
    public static byte[] MessageHash(string jws)
    {
        if (jws.Length <= 16_384)
        {
            Span<byte> small = stackalloc byte[jws.Length];
            return SHA256.HashData(small[..Encoding.ASCII.GetBytes(jws, small)]);
        }

        // Messages of hundreds of kB (a batch of 500 seals) would each be a large-object-heap array; a pooled one is not.
        var buffer = ArrayPool<byte>.Shared.Rent(jws.Length);
        try
        {
            return SHA256.HashData(buffer.AsSpan(0, Encoding.ASCII.GetBytes(jws, buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[65];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[33..]);
        return SHA256.HashData(input);
    }

    /// <summary>What the signed head covers: "provenance-head-v2" ‖ u64be height ‖ the last block's header hash.</summary>
    public static byte[] HeadBytes(long height, ReadOnlySpan<byte> headerHash)
    {
        var bytes = new byte[HeadTag.Length + 8 + 32];
        HeadTag.CopyTo(bytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(HeadTag.Length), height);
        headerHash.CopyTo(bytes.AsSpan(HeadTag.Length + 8));
        return bytes;
    }

    /// <summary>ECDSA P-256 with SHA-256 over <paramref name="data"/>, IEEE P1363 r‖s (64 bytes): what WebCrypto's ECDSA verify takes.</summary>
    public static byte[] Sign(ECDsa key, ReadOnlySpan<byte> data) =>
        key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public static bool Verify(ECDsa key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    private static void Utf8Hash(string text, Span<byte> destination)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var buffer = max <= 4096 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(text, buffer);
        SHA256.HashData(buffer[..length], destination);
    }
}
