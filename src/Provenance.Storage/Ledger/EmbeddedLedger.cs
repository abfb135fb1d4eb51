using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Provenance.Storage.Internal;
using Provenance.Storage.Journal;

namespace Provenance.Storage.Ledger;

/// <summary>
/// The embedded ledger: an append-only, hash-chained log of provenance records in SQLite, every entry signed by the
/// node's key, with a signed head so that truncation is detected too. Appends advance the ledger sink's journal
/// cursor in the same transaction, so each journal entry lands exactly once. Thread-safe (SQLite serialises writers).
/// </summary>
public sealed class EmbeddedLedger(ProvenanceDatabase database, ECDsa nodeKey) : ILedgerEngine
{
    public const string SinkName = "ledger";

    private bool _nodeKeyRecorded;

    public string Name => "embedded";

    public Task<int> AppendAsync(IReadOnlyList<JournalEntry> entries, long cursorAfter, CancellationToken cancellationToken = default) =>
        Task.FromResult(Append(entries, cursorAfter));

    /// <summary>Appends the seal entries of a journal batch (skipping event ids already in the ledger) and moves the cursor to <paramref name="cursorAfter"/>.</summary>
    public int Append(IReadOnlyList<JournalEntry> entries, long cursorAfter)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var c = database.Connect();

        // The CPU-heavy part — look-ups, hashes, one ECDSA signature per entry — runs before taking the write lock,
        // so ingestion's commits do not wait for it. If another writer moved the head meanwhile, redo it under the lock.
        var head = Head(c, null);
        var prepared = Prepare(c, null, entries, head);
        using var write = database.WriteLock.EnterScope();
        using var tx = c.BeginTransaction();
        if (!_nodeKeyRecorded)
        {
            EnsureNodeKeyRecorded(c, tx);
        }

        var current = Head(c, tx);
        if (current.Index != head.Index || !current.Hash.AsSpan().SequenceEqual(head.Hash))
        {
            prepared = Prepare(c, tx, entries, current);
        }

        var now = Sql.Timestamp(DateTimeOffset.UtcNow);
        using var insert = c.Command("INSERT INTO ledger (idx, event_id, record_json, message_jws, prev_hash, entry_hash, signature, appended_at) VALUES ($i, $e, $r, $j, $p, $h, $s, $at)", tx);
        foreach (var e in prepared)
        {
            insert.Parameters.Clear();
            insert.With("$i", e.Index).With("$e", e.EventId).With("$r", e.RecordJson).With("$j", e.MessageJws).With("$p", e.PreviousHash)
                .With("$h", e.EntryHash).With("$s", e.Signature).With("$at", now).ExecuteNonQuery();
        }

        if (prepared.Count > 0)
        {
            var last = prepared[^1];
            var signedHead = nodeKey.SignHash(LedgerHashing.HeadDigest(last.Index, last.EntryHash), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            SetMeta(c, tx, "head", $"{last.Index}:{Convert.ToHexStringLower(last.EntryHash)}:{Convert.ToBase64String(signedHead)}");
        }

        JournalStore.SetCursor(c, tx, SinkName, cursorAfter);
        tx.Commit();
        _nodeKeyRecorded = true;
        return prepared.Count;
    }

    private List<LedgerEntry> Prepare(SqliteConnection c, SqliteTransaction? tx, IReadOnlyList<JournalEntry> entries, (long Index, byte[] Hash) head)
    {
        var (index, previous) = head;
        var prepared = new List<LedgerEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var messages = new Dictionary<long, string>();
        using var exists = c.Command("SELECT 1 FROM ledger WHERE event_id = $e", tx);
        using var message = c.Command("SELECT jws FROM messages WHERE id = $m", tx);
        foreach (var entry in entries)
        {
            if (entry.Kind != JournalEntry.SealKind || !seen.Add(entry.EventId))
            {
                continue;
            }

            exists.Parameters.Clear();
            if (exists.With("$e", entry.EventId).ExecuteScalar() is not null)
            {
                continue;
            }

            // One gateway message carries many seals: look each message up once per batch.
            if (entry.MessageId is not { } messageId || !messages.TryGetValue(messageId, out var jws))
            {
                message.Parameters.Clear();
                jws = message.With("$m", entry.MessageId).ExecuteScalar() as string ?? string.Empty;
                if (entry.MessageId is { } id)
                {
                    messages[id] = jws;
                }
            }

            index++;
            var hash = LedgerHashing.EntryHash(index, previous, entry.Body, jws);
            var signature = nodeKey.SignHash(hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            prepared.Add(new LedgerEntry(index, entry.EventId, entry.Body, jws, previous, hash, signature, default));
            previous = hash;
        }

        return prepared;
    }

    /// <summary>The ledger entry of an event, if appended.</summary>
    public LedgerEntry? FindByEvent(string eventId)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT idx, event_id, record_json, message_jws, prev_hash, entry_hash, signature, appended_at FROM ledger WHERE event_id = $e").With("$e", eventId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }

    public long Count()
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM ledger").ScalarLong();
    }

    internal static LedgerEntry Read(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), (byte[])r.GetValue(4), (byte[])r.GetValue(5), (byte[])r.GetValue(6), Sql.ParseTimestamp(r.GetString(7)));

    private void EnsureNodeKeyRecorded(SqliteConnection c, SqliteTransaction tx)
    {
        var pem = nodeKey.ExportSubjectPublicKeyInfoPem();
        var recorded = c.Command("SELECT value FROM ledger_meta WHERE key = 'node_public_key'", tx).ExecuteScalar() as string;
        if (recorded is null)
        {
            SetMeta(c, tx, "node_public_key", pem);
        }
        else if (recorded != pem)
        {
            throw new InvalidOperationException("this node's key (node-key.pem) is not the key that signed the ledger; restore the original node-key.pem to the data directory");
        }
    }

    private static (long Index, byte[] Hash) Head(SqliteConnection c, SqliteTransaction? tx)
    {
        using var cmd = c.Command("SELECT idx, entry_hash FROM ledger ORDER BY idx DESC LIMIT 1", tx);
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), (byte[])r.GetValue(1)) : (0, LedgerHashing.Genesis);
    }

    private static void SetMeta(SqliteConnection c, SqliteTransaction tx, string key, string value) =>
        c.Command("INSERT INTO ledger_meta (key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", tx)
            .With("$k", key).With("$v", value).ExecuteNonQuery();
}
