using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Provenance.Storage.Internal;
using Provenance.Storage.Journal;

namespace Provenance.Storage.Ledger.Internal;

/// <summary>Turns a journal batch into the next block: new seal entries only, leaf hashes, Merkle root and paths, the signed header.</summary>
internal static class BlockBuilder
{
    public static PreparedBlock? Prepare(DbConnection c, DbTransaction? tx, IReadOnlyList<JournalEntry> entries, ChainHead head, ECDsa nodeKey, DateTimeOffset now)
    {
        var seals = NewSeals(c, tx, entries);
        if (seals.Count == 0)
        {
            return null;
        }

        var messageHashes = MessageHashes(c, tx, seals);
        var leaves = new byte[seals.Count][];
        for (var i = 0; i < seals.Count; i++)
        {
            leaves[i] = LedgerHashing.LeafHash(head.LastIndex + 1 + i, seals[i].EventId, seals[i].Body, messageHashes[seals[i].MessageId ?? 0]);
        }

        var (root, paths) = MerkleTree.RootAndPaths(leaves);
        var header = new LedgerBlockHeader(head.Height + 1, head.LastIndex + 1, seals.Count, head.HeaderHash, root, now.ToUnixTimeMilliseconds());
        var bytes = header.ToBytes();
        var prepared = new List<LedgerEntry>(seals.Count);
        for (var i = 0; i < seals.Count; i++)
        {
            prepared.Add(new LedgerEntry(header.FirstIndex + i, seals[i].EventId, seals[i].Body, seals[i].MessageId ?? 0, header.Height, leaves[i], paths[i]));
        }

        return new PreparedBlock(header, SHA256.HashData(bytes), LedgerHashing.Sign(nodeKey, bytes), prepared);
    }

    /// <summary>The batch's seal entries whose event ids are not yet in the ledger, first occurrence only, in journal order.</summary>
    private static List<JournalEntry> NewSeals(DbConnection c, DbTransaction? tx, IReadOnlyList<JournalEntry> entries)
    {
        var candidates = new List<JournalEntry>(entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Kind == JournalEntry.SealKind && seen.Add(entry.EventId))
            {
                candidates.Add(entry);
            }
        }

        if (candidates.Count == 0)
        {
            return candidates;
        }

        // One query for the whole batch instead of one per entry.
        using var existing = c.Command(
            c.IsPostgres()
                ? "SELECT event_id FROM ledger WHERE event_id IN (SELECT jsonb_array_elements_text(CAST(@ids AS jsonb)))"
                : "SELECT event_id FROM ledger WHERE event_id IN (SELECT value FROM json_each(@ids))",
            tx)
            .With("@ids", JsonArray(candidates));
        using var r = existing.ExecuteReader();
        var present = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read())
        {
            present.Add(r.GetString(0));
        }

        return present.Count == 0 ? candidates : candidates.Where(e => !present.Contains(e.EventId)).ToList();
    }

    /// <summary>The event ids as a JSON array of strings (written directly: no reflection-based serialisation).</summary>
    private static string JsonArray(List<JournalEntry> entries)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(entries.Count * 40);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var e in entries)
            {
                json.WriteStringValue(e.EventId);
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>SHA-256 of each referenced gateway message's JWS, each message read once (id 0: no message, hashed as empty).</summary>
    private static Dictionary<long, byte[]> MessageHashes(DbConnection c, DbTransaction? tx, List<JournalEntry> seals)
    {
        var hashes = new Dictionary<long, byte[]>();
        using var message = c.Command("SELECT jws FROM messages WHERE id = @m", tx);
        var id = message.Parameter("@m", DbType.Int64);
        foreach (var seal in seals)
        {
            var messageId = seal.MessageId ?? 0;
            if (!hashes.ContainsKey(messageId))
            {
                id.Value = messageId;
                hashes[messageId] = LedgerHashing.MessageHash(message.ExecuteScalar() as string ?? string.Empty);
            }
        }

        return hashes;
    }
}

/// <summary>A block ready to insert: header, its hash, the node's signature and its entries.</summary>
internal sealed record PreparedBlock(LedgerBlockHeader Header, byte[] HeaderHash, byte[] Signature, IReadOnlyList<LedgerEntry> Entries);
