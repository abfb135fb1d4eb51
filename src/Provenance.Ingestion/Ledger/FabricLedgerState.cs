using System.Data.Common;
using System.Text.Json;
using Provenance.Storage;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Internal;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// The off-chain state of the Fabric ledger engine in SQLite: its journal cursor (<see cref="CursorName"/>, its own,
/// so switching from the embedded ledger anchors every earlier seal), which gateways are registered on the chain with
/// which key, the transactions submitted but not yet resolved, and the ledger proofs (transaction id, block) of
/// recorded events. Thread-safe (SQLite serialises writers).
/// </summary>
public sealed class FabricLedgerState(ProvenanceDatabase database)
{
    /// <summary>The engine name stored with proofs.</summary>
    public const string Engine = "fabric";

    /// <summary>The Fabric engine's journal cursor.</summary>
    public const string CursorName = "ledger-fabric";

    /// <summary>
    /// The seal entries of a journal batch that have no proof yet, in journal order, with what a ledger record needs.
    /// Entries of other kinds are skipped. Seals of one message share one <see cref="LedgerSeal.Jws"/> string.
    /// </summary>
    public IReadOnlyList<LedgerSeal> LoadUnproven(IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var c = database.Connect();
        using var seal = c.Command(
            "SELECT s.gtin, s.serial, s.gateway_id, s.site_id, s.attestation_json, COALESCE(@m, s.message_id), p.event_id " +
            "FROM seals s LEFT JOIN ledger_proofs p ON p.event_id = s.event_id WHERE s.event_id = @e");
        using var message = c.Command("SELECT jws, topic FROM messages WHERE id = @id");
        var messages = new Dictionary<long, (string Jws, string Topic)?>();
        var list = new List<LedgerSeal>();
        foreach (var entry in entries)
        {
            if (entry.Kind != JournalEntry.SealKind)
            {
                continue;
            }

            seal.Parameters.Clear();
            // Read the row and close it before the next statement: PostgreSQL runs one at a time per connection.
            (string Gtin, string Serial, string Gateway, string Site, string Attestation, long MessageId, bool Proven)? row;
            using (var r = seal.With("@e", entry.EventId).With("@m", entry.MessageId).ExecuteReader())
            {
                row = r.Read() ? (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), !r.IsDBNull(6)) : null;
            }

            if (row is not { } found)
            {
                list.Add(new LedgerSeal(entry.Position, entry.EventId, string.Empty, string.Empty, string.Empty, string.Empty, null, "{}", null, entry.CreatedAt));
                continue;
            }

            if (found.Proven)
            {
                continue;
            }

            if (!messages.TryGetValue(found.MessageId, out var carried))
            {
                message.Parameters.Clear();
                using var m = message.With("@id", found.MessageId).ExecuteReader();
                carried = m.Read() ? (m.GetString(0), m.GetString(1)) : null;
                messages[found.MessageId] = carried;
            }

            list.Add(new LedgerSeal(
                entry.Position, entry.EventId, found.Gtin, found.Serial, found.Gateway, found.Site, carried?.Jws, found.Attestation, carried?.Topic, entry.CreatedAt));
        }

        return list;
    }

    /// <summary>The position up to which the Fabric engine has recorded the journal.</summary>
    public long Cursor()
    {
        using var c = database.Connect();
        return c.Command("SELECT COALESCE((SELECT position FROM sink_cursors WHERE sink = @s), 0)").With("@s", CursorName).ScalarLong();
    }

    /// <summary>Moves the Fabric engine's cursor forward (never back).</summary>
    public void AdvanceCursor(long position)
    {
        using var c = database.Connect();
        JournalStore.SetCursor(c, null, CursorName, position);
    }

    /// <summary>The site and key fingerprint a gateway was last seen registered with on the chain, or null.</summary>
    public (string SiteId, string KeyFingerprint)? FindRegisteredGateway(string gatewayId)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT site_id, key_fingerprint FROM fabric_gateways WHERE gateway_id = @g").With("@g", gatewayId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.GetString(1)) : null;
    }

    /// <summary>Remembers that the chain holds this gateway with this site and key.</summary>
    public void MarkGatewayRegistered(string gatewayId, string siteId, string keyFingerprint, DateTimeOffset at)
    {
        using var c = database.Connect();
        c.Command(
            "INSERT INTO fabric_gateways (gateway_id, site_id, key_fingerprint, registered_at) VALUES (@g, @s, @f, @at) " +
            "ON CONFLICT(gateway_id) DO UPDATE SET site_id = excluded.site_id, key_fingerprint = excluded.key_fingerprint, registered_at = excluded.registered_at")
            .With("@g", gatewayId).With("@s", siteId).With("@f", keyFingerprint).With("@at", Sql.Timestamp(at)).ExecuteNonQuery();
    }

    /// <summary>Forgets what the chain was seen to hold for a gateway, so that it is asked again.</summary>
    public void ForgetGateway(string gatewayId)
    {
        using var c = database.Connect();
        c.Command("DELETE FROM fabric_gateways WHERE gateway_id = @g").With("@g", gatewayId).ExecuteNonQuery();
    }

    /// <summary>Records a transaction durably before it is submitted.</summary>
    public void AddPending(PendingLedgerTransaction pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        using var c = database.Connect();
        c.Command("INSERT INTO fabric_pending (tx_id, first_position, last_position, seals_json, created_at, envelope) VALUES (@t, @f, @l, @s, @at, @e)")
            .With("@t", pending.TransactionId).With("@f", pending.FirstPosition).With("@l", pending.LastPosition)
            .With("@s", JsonSerializer.Serialize(pending.Seals)).With("@at", Sql.Timestamp(pending.CreatedAt)).With("@e", pending.Envelope).ExecuteNonQuery();
    }

    /// <summary>The transactions submitted but not resolved yet, oldest first.</summary>
    public IReadOnlyList<PendingLedgerTransaction> ListPending()
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT tx_id, first_position, last_position, seals_json, created_at, envelope FROM fabric_pending ORDER BY first_position, created_at");
        using var r = cmd.ExecuteReader();
        var list = new List<PendingLedgerTransaction>();
        while (r.Read())
        {
            var seals = JsonSerializer.Deserialize<List<PendingSeal>>(r.GetString(3)) ?? [];
            list.Add(new PendingLedgerTransaction(
                r.GetString(0), r.GetInt64(1), r.GetInt64(2), seals, Sql.ParseTimestamp(r.GetString(4)), r.IsDBNull(5) ? null : (byte[])r.GetValue(5)));
        }

        return list;
    }

    /// <summary>
    /// In one SQLite transaction: stores the proofs (an event keeps its first proof) and the dead letters, and forgets the
    /// pending transaction (when given). The cursor moves separately, in journal order (<see cref="AdvanceCursor"/>).
    /// </summary>
    public void Complete(string? transactionId, IReadOnlyList<StoredLedgerProof> proofs, IReadOnlyList<DeadLetter> deadLetters)
    {
        ArgumentNullException.ThrowIfNull(proofs);
        ArgumentNullException.ThrowIfNull(deadLetters);
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        using var insertProof = c.Command(
            "INSERT INTO ledger_proofs (event_id, engine, tx_id, block_number, committed_at, note) VALUES (@e, @n, @t, @b, @at, @note) ON CONFLICT(event_id) DO NOTHING", tx);
        foreach (var proof in proofs)
        {
            insertProof.Parameters.Clear();
            insertProof.With("@e", proof.EventId).With("@n", proof.Engine).With("@t", proof.TransactionId).With("@b", proof.BlockNumber)
                .With("@at", Sql.Timestamp(proof.CommittedAt)).With("@note", proof.Note).ExecuteNonQuery();
        }

        var now = Sql.Timestamp(database.Time.GetUtcNow());
        using var insertLetter = c.Command("INSERT INTO dead_letters (received_at, topic, reason_code, reason, event_id, payload) VALUES (@at, @t, @c, @r, @e, @p)", tx);
        foreach (var letter in deadLetters)
        {
            insertLetter.Parameters.Clear();
            insertLetter.With("@at", now).With("@t", letter.Topic).With("@c", letter.ReasonCode).With("@r", letter.Reason).With("@e", letter.EventId)
                .With("@p", letter.Payload).ExecuteNonQuery();
        }

        if (transactionId is not null)
        {
            DeletePending(c, tx, transactionId);
        }

        tx.Commit();
    }

    /// <summary>Forgets a pending transaction that is known not to have written anything (committed invalid, or given up on).</summary>
    public void DropPending(string transactionId)
    {
        using var c = database.Connect();
        DeletePending(c, null, transactionId);
    }

    /// <summary>The proof of an event, if recorded.</summary>
    public StoredLedgerProof? FindProof(string eventId)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT event_id, engine, tx_id, block_number, committed_at, note FROM ledger_proofs WHERE event_id = @e").With("@e", eventId);
        using var r = cmd.ExecuteReader();
        return r.Read()
            ? new StoredLedgerProof(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3), Sql.ParseTimestamp(r.GetString(4)), r.NullableString(5))
            : null;
    }

    /// <summary>How many events have a proof.</summary>
    public long CountProofs()
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM ledger_proofs").ScalarLong();
    }

    private static void DeletePending(DbConnection c, DbTransaction? tx, string transactionId) =>
        c.Command("DELETE FROM fabric_pending WHERE tx_id = @t", tx).With("@t", transactionId).ExecuteNonQuery();
}
