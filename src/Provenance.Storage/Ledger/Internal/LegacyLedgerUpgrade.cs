using System.Data.Common;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Provenance.Core.Signing;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Ledger.Internal;

/// <summary>
/// Moves a ledger of format 1 (every entry hash-chained and signed on its own, the gateway JWS stored in each entry)
/// into format 2 blocks. The node first re-checks what it signed before — chain, entry hashes, signatures, signed
/// head — with its own key, and refuses to re-block a history that does not verify. Indexes are kept.
/// </summary>
internal static class LegacyLedgerUpgrade
{
    private const int BlockSize = 500;
    private static readonly byte[] LegacyDomainTag = "provenance-ledger-v1"u8.ToArray();

    /// <summary>Upgrades what <c>ledger_v1</c> holds and drops it; returns how many entries moved.</summary>
    public static int Run(DbConnection c, DbTransaction tx, ECDsa nodeKey, DateTimeOffset now)
    {
        if (c.IsPostgres() || c.Command("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger_v1'", tx).ScalarLong() == 0)
        {
            return 0;
        }

        var legacy = ReadAndCheck(c, tx, nodeKey);
        if (legacy.Count > 0)
        {
            if (c.Command("SELECT COUNT(*) FROM ledger", tx).ScalarLong() > 0)
            {
                throw new InvalidOperationException("the ledger holds entries of both format 1 (ledger_v1) and format 2; restore the data directory from a backup taken before the upgrade");
            }

            var head = ChainHead.Empty;
            for (var i = 0; i < legacy.Count; i += BlockSize)
            {
                var group = legacy.GetRange(i, Math.Min(BlockSize, legacy.Count - i));
                var block = Block(c, tx, group, head, nodeKey, now);
                BlockChain.Insert(c, tx, block, nodeKey);
                head = new ChainHead(block.Header.Height, block.HeaderHash, block.Header.LastIndex);
            }

            BlockChain.SetMeta(c, tx, "upgraded_from_format_1", string.Create(CultureInfo.InvariantCulture, $"{legacy.Count} entries re-checked and re-blocked at {Sql.Timestamp(now)}"));
        }

        c.Command("DROP TABLE ledger_v1", tx).ExecuteNonQuery();
        return legacy.Count;
    }

    private static PreparedBlock Block(DbConnection c, DbTransaction tx, List<LegacyEntry> group, ChainHead head, ECDsa nodeKey, DateTimeOffset now)
    {
        var leaves = new byte[group.Count][];
        var messageIds = new long[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            messageIds[i] = MessageId(c, tx, group[i], now);
            leaves[i] = LedgerHashing.LeafHash(group[i].Index, group[i].EventId, group[i].RecordJson, LedgerHashing.MessageHash(group[i].MessageJws));
        }

        var (root, paths) = MerkleTree.RootAndPaths(leaves);
        var header = new LedgerBlockHeader(head.Height + 1, group[0].Index, group.Count, head.HeaderHash, root, now.ToUnixTimeMilliseconds());
        var bytes = header.ToBytes();
        var entries = group.Select((e, i) => new LedgerEntry(e.Index, e.EventId, e.RecordJson, messageIds[i], header.Height, leaves[i], paths[i])).ToList();
        return new PreparedBlock(header, SHA256.HashData(bytes), LedgerHashing.Sign(nodeKey, bytes), entries);
    }

    /// <summary>The stored gateway message with exactly this JWS: the seal's own, else any; kept as a recovered message when none is left.</summary>
    private static long MessageId(DbConnection c, DbTransaction tx, LegacyEntry e, DateTimeOffset now)
    {
        if (c.Command("SELECT m.id FROM seals s JOIN messages m ON m.id = s.message_id WHERE s.event_id = @e AND m.jws = @j", tx)
                .With("@e", e.EventId).With("@j", e.MessageJws).ExecuteScalar() is long own)
        {
            return own;
        }

        if (c.Command("SELECT id FROM messages WHERE jws = @j LIMIT 1", tx).With("@j", e.MessageJws).ExecuteScalar() is long any)
        {
            return any;
        }

        var gateway = CompactJws.TryDecode(e.MessageJws, out var token, out _) ? token!.KeyId : string.Empty;
        return (long)c.Command("INSERT INTO messages (topic, gateway_id, jws, received_at) VALUES ('(recovered from ledger format 1)', @g, @j, @t) RETURNING id", tx)
            .With("@g", gateway).With("@j", e.MessageJws).With("@t", Sql.Timestamp(now)).ExecuteScalar()!;
    }

    private static List<LegacyEntry> ReadAndCheck(DbConnection c, DbTransaction tx, ECDsa nodeKey)
    {
        var entries = new List<LegacyEntry>();
        var previous = LedgerHashing.Genesis;
        long expected = 1;
        using (var cmd = c.Command("SELECT idx, event_id, record_json, message_jws, prev_hash, entry_hash, signature FROM ledger_v1 ORDER BY idx", tx))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var e = new LegacyEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3));
                var prev = (byte[])r.GetValue(4);
                var hash = (byte[])r.GetValue(5);
                var signature = (byte[])r.GetValue(6);
                if (e.Index != expected || !prev.AsSpan().SequenceEqual(previous) || !EntryHash(e, prev).AsSpan().SequenceEqual(hash)
                    || !nodeKey.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                {
                    throw new InvalidOperationException($"the ledger of format 1 does not verify at entry {expected} (event {e.EventId}) with this node's key, so it is not re-blocked; keep this data directory as evidence and run `provenance ledger verify` with the previous release");
                }

                entries.Add(e);
                previous = hash;
                expected++;
            }
        }

        if (entries.Count > 0 && c.Command("SELECT value FROM ledger_meta WHERE key = 'head'", tx).ExecuteScalar() is string head)
        {
            var parts = head.Split(':');
            var headIndex = long.Parse(parts[0], CultureInfo.InvariantCulture);
            var headHash = Convert.FromHexString(parts[1]);
            if (headIndex != entries[^1].Index || !headHash.AsSpan().SequenceEqual(previous)
                || !nodeKey.VerifyHash(HeadDigest(headIndex, headHash), Convert.FromBase64String(parts[2]), DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                throw new InvalidOperationException($"the ledger of format 1 ends at entry {entries[^1].Index} but its signed head says entry {headIndex}: entries were removed, so it is not re-blocked; keep this data directory as evidence");
            }
        }

        return entries;
    }

    private static byte[] EntryHash(LegacyEntry e, byte[] previous)
    {
        Span<byte> buffer = stackalloc byte[20 + 8 + 32 + 32 + 32];
        LegacyDomainTag.CopyTo(buffer);
        BinaryPrimitives.WriteInt64BigEndian(buffer[20..], e.Index);
        previous.CopyTo(buffer[28..]);
        SHA256.HashData(Encoding.UTF8.GetBytes(e.RecordJson), buffer[60..]);
        SHA256.HashData(Encoding.ASCII.GetBytes(e.MessageJws), buffer[92..]);
        return SHA256.HashData(buffer);
    }

    private static byte[] HeadDigest(long index, byte[] entryHash)
    {
        Span<byte> buffer = stackalloc byte[8 + 32];
        BinaryPrimitives.WriteInt64BigEndian(buffer, index);
        entryHash.CopyTo(buffer[8..]);
        return SHA256.HashData(buffer);
    }

    private sealed record LegacyEntry(long Index, string EventId, string RecordJson, string MessageJws);
}
