using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Provenance.Storage.Ledger;

/// <summary>
/// The signed part of an embedded-ledger block: its height, the range of entries it holds, the previous block's header
/// hash, the Merkle root of its entries' leaf hashes and when it was made. <see cref="ToBytes"/> is the exact byte
/// string the node signs (ECDSA P-256, SHA-256) and whose SHA-256 the next block links to. Immutable.
/// </summary>
/// <param name="Height">1 for the first block, then +1.</param>
/// <param name="FirstIndex">The ledger index of its first entry (indexes run on across blocks without gaps).</param>
/// <param name="EntryCount">How many entries it holds (at least one).</param>
/// <param name="PreviousHash">The previous block's header hash; 32 zero bytes for the first block.</param>
/// <param name="MerkleRoot">The Merkle root over its entries' leaf hashes, in index order.</param>
/// <param name="CreatedAtUnixMs">When the node made it, milliseconds since 1970-01-01 UTC.</param>
public sealed record LedgerBlockHeader(long Height, long FirstIndex, int EntryCount, byte[] PreviousHash, byte[] MerkleRoot, long CreatedAtUnixMs)
{
    /// <summary>The header's first bytes, so that a header can never be read as a leaf (0x00) or a node (0x01).</summary>
    public static ReadOnlySpan<byte> Tag => "provenance-block-v2"u8;

    /// <summary>Tag ‖ u64be height ‖ u64be first index ‖ u32be entry count ‖ previous hash ‖ Merkle root ‖ i64be created-at (111 bytes).</summary>
    public const int Length = 19 + 8 + 8 + 4 + 32 + 32 + 8;

    public long LastIndex => FirstIndex + EntryCount - 1;

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        var span = bytes.AsSpan();
        Tag.CopyTo(span);
        BinaryPrimitives.WriteInt64BigEndian(span[19..], Height);
        BinaryPrimitives.WriteInt64BigEndian(span[27..], FirstIndex);
        BinaryPrimitives.WriteUInt32BigEndian(span[35..], (uint)EntryCount);
        PreviousHash.CopyTo(span[39..]);
        MerkleRoot.CopyTo(span[71..]);
        BinaryPrimitives.WriteInt64BigEndian(span[103..], CreatedAtUnixMs);
        return bytes;
    }

    /// <summary>SHA-256 of <see cref="ToBytes"/>: what the next block's <see cref="PreviousHash"/> holds.</summary>
    public byte[] Hash() => SHA256.HashData(ToBytes());
}
