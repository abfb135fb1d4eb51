using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Provenance.Storage.Ledger;

namespace Provenance.Storage.Tests;

/// <summary>
/// docs/ledger-format.md, recomputed by hand from the stored rows (as a browser would with WebCrypto): leaf bytes,
/// RFC 6962 tree shape, 33-byte path steps, the 111-byte header, the P1363 signature over the header and the signed head.
/// </summary>
public sealed class LedgerFormatTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 7, blockSize: 7);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Every_entry_checks_out_from_its_record_message_path_header_and_signature_as_documented()
    {
        var block = _fixture.Ledger.FindBlock(1)!;
        var header = HeaderBytes(block);
        Assert.Equal(111, header.Length);
        Assert.Equal(SHA256.HashData(header), block.HeaderHash);
        using var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(_fixture.NodeKey.ExportSubjectPublicKeyInfo(), out _);
        Assert.True(publicKey.VerifyData(header, block.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal(64, block.Signature.Length);

        for (var i = 1; i <= 7; i++)
        {
            var entry = _fixture.Ledger.FindByEvent($"ev-{i - 1:D5}")!;
            var jws = LedgerFixture.Scalar<string>(_fixture.Database, $"SELECT jws FROM messages WHERE id = {entry.MessageId}");
            var leafInput = new byte[] { 0x00 }.Concat(U64(entry.Index)).Concat(H(Encoding.UTF8.GetBytes(entry.EventId)))
                .Concat(H(Encoding.UTF8.GetBytes(entry.RecordJson))).Concat(H(Encoding.ASCII.GetBytes(jws))).ToArray();
            var current = H(leafInput);
            Assert.Equal(current, entry.LeafHash);
            Assert.Equal(0, entry.MerklePath.Length % 33);
            for (var step = 0; step < entry.MerklePath.Length; step += 33)
            {
                var sibling = entry.MerklePath.AsSpan(step + 1, 32).ToArray();
                current = entry.MerklePath[step] switch
                {
                    0x00 => H([0x01, .. sibling, .. current]),
                    0x01 => H([0x01, .. current, .. sibling]),
                    _ => throw new InvalidOperationException("bad side byte"),
                };
            }

            Assert.Equal(block.Header.MerkleRoot, current);
        }
    }

    [Fact]
    public void Seven_leaves_split_four_and_three_as_RFC_6962_shapes_the_tree()
    {
        var leaves = Enumerable.Range(1, 7).Select(i => H([(byte)i])).ToList();
        byte[] N(byte[] l, byte[] r) => H([0x01, .. l, .. r]);
        var expected = N(N(N(leaves[0], leaves[1]), N(leaves[2], leaves[3])), N(N(leaves[4], leaves[5]), leaves[6]));

        var (root, paths) = MerkleTree.RootAndPaths(leaves);

        Assert.Equal(expected, root);
        Assert.Equal(3 * 33, paths[0].Length);
        Assert.Equal(2 * 33, paths[6].Length); // the lone seventh leaf is paired one level up, never duplicated
        Assert.All(Enumerable.Range(0, 7), i => Assert.Equal(root, MerkleTree.RootFromPath(leaves[i], paths[i])));
        Assert.Equal(leaves[0], MerkleTree.Root([leaves[0]]));
        Assert.Empty(MerkleTree.RootAndPaths([leaves[0]]).Paths[0]);
    }

    [Fact]
    public void The_signed_head_covers_the_last_block_as_documented()
    {
        var block = _fixture.Ledger.FindBlock(1)!;
        var head = LedgerFixture.Scalar<string>(_fixture.Database, "SELECT value FROM ledger_meta WHERE key = 'head'").Split(':');
        var signed = Encoding.ASCII.GetBytes("provenance-head-v2").Concat(U64(1)).Concat(block.HeaderHash).ToArray();

        Assert.Equal("1", head[0]);
        Assert.Equal(Convert.ToHexStringLower(block.HeaderHash), head[1]);
        Assert.True(_fixture.NodeKey.VerifyData(signed, Convert.FromBase64String(head[2]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    private static byte[] HeaderBytes(LedgerBlock block) =>
        Encoding.ASCII.GetBytes("provenance-block-v2").Concat(U64(block.Header.Height)).Concat(U64(block.Header.FirstIndex))
            .Concat(U32((uint)block.Header.EntryCount)).Concat(block.Header.PreviousHash).Concat(block.Header.MerkleRoot).Concat(U64(block.Header.CreatedAtUnixMs)).ToArray();

    private static byte[] H(byte[] data) => SHA256.HashData(data);

    private static byte[] U64(long value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, value);
        return b;
    }

    private static byte[] U32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return b;
    }
}
