using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Provenance.Storage.Ledger;

/// <summary>
/// The entry hash of the embedded ledger: SHA-256 over a domain tag, the index (8 bytes big-endian), the previous
/// entry's hash, SHA-256 of the record (UTF-8) and SHA-256 of the signed gateway message (ASCII). The first entry's
/// previous hash is 32 zero bytes.
/// </summary>
public static class LedgerHashing
{
    private static readonly byte[] DomainTag = "provenance-ledger-v1"u8.ToArray();

    public static byte[] Genesis { get; } = new byte[32];

    public static byte[] EntryHash(long index, ReadOnlySpan<byte> previousHash, string recordJson, string messageJws)
    {
        Span<byte> buffer = stackalloc byte[20 + 8 + 32 + 32 + 32];
        DomainTag.CopyTo(buffer);
        BinaryPrimitives.WriteInt64BigEndian(buffer[20..], index);
        previousHash.CopyTo(buffer[28..]);
        SHA256.HashData(Encoding.UTF8.GetBytes(recordJson), buffer[60..]);
        SHA256.HashData(Encoding.ASCII.GetBytes(messageJws), buffer[92..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>What the signed head commits to: the index and hash of the last entry.</summary>
    public static byte[] HeadDigest(long index, ReadOnlySpan<byte> entryHash)
    {
        Span<byte> buffer = stackalloc byte[8 + 32];
        BinaryPrimitives.WriteInt64BigEndian(buffer, index);
        entryHash.CopyTo(buffer[8..]);
        return SHA256.HashData(buffer);
    }
}
