using System.Data.Common;
using System.Security.Cryptography;
using Provenance.Storage.Internal;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger.Internal;

namespace Provenance.Storage.Ledger;

/// <summary>
/// The embedded ledger: an append-only chain of blocks in SQLite. Each append (one ledger-sink commit) becomes one
/// block: its entries' leaf hashes under a Merkle root, the header signed once with the node's key and linked to the
/// previous header, each entry keeping its inclusion path; a signed head makes truncation visible. Appends advance
/// the ledger sink's journal cursor in the same transaction, so each journal entry lands exactly once. Byte formats:
/// <c>docs/ledger-format.md</c>. Thread-safe (one writer at a time through the database's write lock).
/// </summary>
public sealed class EmbeddedLedger(ProvenanceDatabase database, ECDsa nodeKey) : ILedgerEngine
{
    public const string SinkName = "ledger";

    private bool _nodeKeyRecorded;
    private bool _upgraded;

    public string Name => "embedded";

    public Task<int> AppendAsync(IReadOnlyList<JournalEntry> entries, long cursorAfter, CancellationToken cancellationToken = default) =>
        Task.FromResult(Append(entries, cursorAfter));

    /// <summary>Appends the seal entries of a journal batch as one block (skipping event ids already in the ledger) and moves the cursor to <paramref name="cursorAfter"/>.</summary>
    public int Append(IReadOnlyList<JournalEntry> entries, long cursorAfter)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!_upgraded)
        {
            UpgradeLegacyEntries();
        }

        using var c = database.Connect();

        // The CPU part — look-ups, hashes, the Merkle tree, the block signature — runs before taking the write lock, so
        // ingestion's commits do not wait for it. If another writer moved the head meanwhile, redo it under the lock.
        var head = BlockChain.Head(c, null);
        var block = BlockBuilder.Prepare(c, null, entries, head, nodeKey, database.Time.GetUtcNow());
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        if (!_nodeKeyRecorded)
        {
            EnsureNodeKeyRecorded(c, tx);
        }

        var current = BlockChain.Head(c, tx);
        if (current != head)
        {
            block = BlockBuilder.Prepare(c, tx, entries, current, nodeKey, database.Time.GetUtcNow());
        }

        if (block is not null)
        {
            BlockChain.Insert(c, tx, block, nodeKey);
        }

        JournalStore.SetCursor(c, tx, SinkName, cursorAfter);
        tx.Commit();
        _nodeKeyRecorded = true;
        return block?.Entries.Count ?? 0;
    }

    /// <summary>
    /// Moves entries of ledger format 1 (one signature per entry, left in <c>ledger_v1</c> by the schema migration)
    /// into signed blocks, after checking their hash chain and signatures with this node's key. Refuses, naming the
    /// entry, when that history does not verify. Idempotent; runs on the first append if not called before.
    /// </summary>
    public void UpgradeLegacyEntries()
    {
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        var upgraded = LegacyLedgerUpgrade.Run(c, tx, nodeKey, database.Time.GetUtcNow());
        if (upgraded > 0)
        {
            EnsureNodeKeyRecorded(c, tx);
            _nodeKeyRecorded = true;
        }

        tx.Commit();
        _upgraded = true;
    }

    /// <summary>The ledger entry of an event, if appended.</summary>
    public LedgerEntry? FindByEvent(string eventId)
    {
        using var c = database.Connect();
        using var cmd = c.Command($"SELECT {BlockChain.EntryColumns} FROM ledger WHERE event_id = @e").With("@e", eventId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? BlockChain.ReadEntry(r) : null;
    }

    /// <summary>A block by height, if it exists.</summary>
    public LedgerBlock? FindBlock(long height)
    {
        using var c = database.Connect();
        return BlockChain.FindBlock(c, height);
    }

    public long Count()
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM ledger").ScalarLong();
    }

    private void EnsureNodeKeyRecorded(DbConnection c, DbTransaction tx)
    {
        var pem = nodeKey.ExportSubjectPublicKeyInfoPem();
        var recorded = c.Command("SELECT value FROM ledger_meta WHERE key = 'node_public_key'", tx).ExecuteScalar() as string;
        if (recorded is null)
        {
            BlockChain.SetMeta(c, tx, "node_public_key", pem);
        }
        else if (recorded != pem)
        {
            throw new InvalidOperationException("this node's key (node-key.pem) is not the key that signed the ledger; restore the original node-key.pem to the data directory");
        }
    }
}
