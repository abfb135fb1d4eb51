using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Ledger.Internal;

/// <summary>Reads and writes blocks, entries and the signed head of the embedded ledger (format 2).</summary>
internal static class BlockChain
{
    public const string EntryColumns = "idx, event_id, record_json, message_id, block_height, entry_hash, merkle_path";
    public const string BlockColumns = "height, first_idx, entry_count, prev_hash, merkle_root, created_at_ms, header_hash, signature";

    /// <summary>The chain's tip: the last block's height, header hash and last entry index (0, genesis, 0 when empty).</summary>
    public static ChainHead Head(DbConnection c, DbTransaction? tx)
    {
        using var cmd = c.Command("SELECT height, header_hash, first_idx + entry_count - 1 FROM ledger_blocks ORDER BY height DESC LIMIT 1", tx);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new ChainHead(r.GetInt64(0), (byte[])r.GetValue(1), r.GetInt64(2)) : ChainHead.Empty;
    }

    public static void Insert(DbConnection c, DbTransaction tx, PreparedBlock block, ECDsa nodeKey)
    {
        using (var entries = new RowInserter(c, tx, "ledger", EntryColumns))
        {
            entries.Insert([.. block.Entries.Select(e => new object?[] { e.Index, e.EventId, e.RecordJson, e.MessageId, block.Header.Height, e.LeafHash, e.MerklePath })]);
        }

        var h = block.Header;
        c.Command($"INSERT INTO ledger_blocks ({BlockColumns}) VALUES (@h, @f, @n, @p, @m, @t, @x, @s)", tx)
            .With("@h", h.Height).With("@f", h.FirstIndex).With("@n", h.EntryCount).With("@p", h.PreviousHash).With("@m", h.MerkleRoot)
            .With("@t", h.CreatedAtUnixMs).With("@x", block.HeaderHash).With("@s", block.Signature).ExecuteNonQuery();
        var signedHead = LedgerHashing.Sign(nodeKey, LedgerHashing.HeadBytes(h.Height, block.HeaderHash));
        SetMeta(c, tx, "head", string.Create(CultureInfo.InvariantCulture, $"{h.Height}:{Convert.ToHexStringLower(block.HeaderHash)}:{Convert.ToBase64String(signedHead)}"));
    }

    public static LedgerBlock? FindBlock(DbConnection c, long height)
    {
        using var cmd = c.Command($"SELECT {BlockColumns} FROM ledger_blocks WHERE height = @h").With("@h", height);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadBlock(r) : null;
    }

    public static LedgerBlock ReadBlock(DbDataReader r) =>
        new(new LedgerBlockHeader(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), Bytes(r, 3), Bytes(r, 4), r.GetInt64(5)), Bytes(r, 6), Bytes(r, 7));

    public static LedgerEntry ReadEntry(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), Bytes(r, 5), Bytes(r, 6));

    /// <summary>A hash, path or signature column; a value of another type (an edited file) reads as bytes that will not verify, never as a crash.</summary>
    private static byte[] Bytes(DbDataReader r, int ordinal) => r.GetValue(ordinal) switch
    {
        byte[] bytes => bytes,
        string text => System.Text.Encoding.UTF8.GetBytes(text),
        DBNull => [],
        var other => System.Text.Encoding.UTF8.GetBytes(Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    public static void SetMeta(DbConnection c, DbTransaction tx, string key, string value) =>
        c.Command("INSERT INTO ledger_meta (key, value) VALUES (@k, @v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", tx)
            .With("@k", key).With("@v", value).ExecuteNonQuery();
}

/// <summary>The tip of the block chain.</summary>
internal sealed record ChainHead(long Height, byte[] HeaderHash, long LastIndex)
{
    public static ChainHead Empty { get; } = new(0, LedgerHashing.Genesis, 0);

    public bool Equals(ChainHead? other) => other is not null && Height == other.Height && LastIndex == other.LastIndex && HeaderHash.AsSpan().SequenceEqual(other.HeaderHash);

    public override int GetHashCode() => HashCode.Combine(Height, LastIndex);
}
