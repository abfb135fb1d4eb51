using System.Data.Common;
using Provenance.Storage.Internal;
using Provenance.Storage.Journal;

namespace Provenance.Storage.Ingestion;

/// <summary>
/// Commits ingestion units — many MQTT messages at a time (group commit) — in one durable transaction: the signed
/// messages, seals, journal entries, fix history, dead letters and the source positions they reach. Only after this returns may the MQTT messages be
/// acknowledged. Duplicates (same event id, same content) are absorbed; the same event id with other content, or a
/// second seal of a sealed tag, or an NFC chip already bound to another bottle, or a pack event the packaging rules refuse, becomes a <c>conflict</c> (or <c>unprocessable</c>) dead letter. A rejected message's bytes are kept once
/// however many of its events were rejected, cut to <see cref="DeadLetterQuota.MaxPayloadBytes"/>, and the store is
/// kept within its quotas by pruning the oldest. Thread-safe (one in-process writer lock; SQLite serialises the rest).
/// </summary>
public sealed class IngestionWriter(ProvenanceDatabase database, DeadLetterQuota? quota = null)
{
    private readonly DeadLetterQuota _quota = quota ?? new DeadLetterQuota();

    public IngestionOutcome Commit(IReadOnlyList<IngestionUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        using var spans = new CommitSpans(units);
        try
        {
            var outcome = CommitTraced(units, spans);
            spans.Committed(outcome);
            return outcome;
        }
        catch (Exception e)
        {
            spans.Failed(e);
            throw;
        }
    }

    private IngestionOutcome CommitTraced(IReadOnlyList<IngestionUnit> units, CommitSpans spans)
    {
        var outcome = new IngestionOutcome();
        var now = Sql.Timestamp(database.Time.GetUtcNow());
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        var deadLetters = new DeadLetterWriter(c, tx, _quota, now, outcome);
        using var insertMessage = c.Command("INSERT INTO messages (topic, gateway_id, jws, received_at) VALUES (@t, @g, @j, @at) RETURNING id", tx);
        using var findPack = c.Command("SELECT body FROM journal WHERE kind = 'pack' AND event_id = @e", tx);
        var stored = SealIndex.Load(c, tx, units);
        using var pending = new PendingIngestionRows(c, tx);

        for (var index = 0; index < units.Count; index++)
        {
            var unit = units[index];
            var traceParent = spans.TraceParent(index, unit);
            long? rejectedMessageId = null;
            void Reject(DeadLetter letter)
            {
                var id = letter.Payload is null
                    ? rejectedMessageId ??= deadLetters.AddMessage(unit.Topic, unit.SourceGatewayId, unit.RawMessage.Span)
                    : deadLetters.AddMessage(letter.Topic, unit.SourceGatewayId, letter.Payload);
                deadLetters.AddLetter(id, unit.SourceGatewayId, letter);
            }

            long? messageId = null;
            if (unit.Jws is not null && (unit.Seals.Count > 0 || unit.Fixes.Count > 0 || unit.Packs.Count > 0))
            {
                Reset(insertMessage).With("@t", unit.Topic).With("@g", unit.GatewayId).With("@j", unit.Jws).With("@at", now);
                messageId = insertMessage.ScalarLong();
            }

            foreach (var seal in unit.Seals)
            {
                if (stored.HashOf(seal.EventId) is { } existing)
                {
                    if (existing.AsSpan().SequenceEqual(seal.ContentHash))
                    {
                        outcome.Duplicates++;
                    }
                    else
                    {
                        Reject(new DeadLetter(unit.Topic, "conflict", $"event id {seal.EventId} was already used for a different seal", seal.EventId));
                    }

                    continue;
                }

                if (stored.SealedBy(seal.Gtin, seal.Serial) is { } other)
                {
                    Reject(new DeadLetter(unit.Topic, "conflict", $"tag {seal.Gtin}/{seal.Serial} was already sealed by event {other}", seal.EventId));
                    continue;
                }

                if (seal.NfcUid is not null && stored.ChipBoundTo(seal.NfcUid) is { } bound)
                {
                    Reject(new DeadLetter(unit.Topic, "conflict", $"NFC chip {seal.NfcUid} is already bound to tag {bound}", seal.EventId));
                    continue;
                }

                pending.AddSeal(
                    seal.EventId, seal.Gtin, seal.Serial, seal.GatewayId, seal.SiteId, seal.Line, Sql.Timestamp(seal.SealedAt), seal.SealType, seal.NfcUid,
                    seal.Sequence, seal.ContentHash, seal.Attested ? 1L : 0L, seal.AttestationJson, messageId, now, seal.AttestationInputsJson);
                pending.AddJournal(JournalEntry.SealKind, seal.EventId, seal.RecordJson, messageId, now, traceParent);
                stored.Add(seal);
                outcome.SealsStored++;
                outcome.StoredEventIds.Add(seal.EventId);
            }

            foreach (var fix in unit.Fixes)
            {
                if (stored.HasFix(fix.EventId))
                {
                    outcome.Duplicates++;
                    continue;
                }

                pending.AddJournal(JournalEntry.FixKind, fix.EventId, fix.BodyJson, messageId, now, traceParent);
                stored.AddFix(fix.EventId);
                outcome.FixesStored++;
            }

            foreach (var pack in unit.Packs)
            {
                // The pack checks below read the database: everything accepted before this pack is written first.
                pending.Flush();
                if (Reset(findPack).With("@e", pack.EventId).ExecuteScalar() is string body)
                {
                    if (body == pack.RecordJson)
                    {
                        outcome.Duplicates++;
                    }
                    else
                    {
                        Reject(new DeadLetter(unit.Topic, "conflict", $"event id {pack.EventId} was already used for a different pack event", pack.EventId));
                    }

                    continue;
                }

                // A refused packing writes nothing (the rules check everything before they change anything).
                var packed = ContainerRules.TryPack(c, tx, pack.Packing, database.Time.GetUtcNow());
                if (packed.Refusal is { } refusal)
                {
                    Reject(new DeadLetter(unit.Topic, refusal.Conflict ? "conflict" : "unprocessable", $"event {pack.EventId}: {refusal.Reason}", pack.EventId));
                    continue;
                }

                pending.AddJournal(JournalEntry.PackKind, pack.EventId, pack.RecordJson, messageId, now, traceParent);
                outcome.PacksStored++;
                outcome.StoredEventIds.Add(pack.EventId);
            }

            if (unit.FixHistoryJson is not null && unit.GatewayId is not null)
            {
                c.Command("INSERT INTO gateway_fixes (gateway_id, fixes_json, updated_at) VALUES (@g, @f, @at) ON CONFLICT(gateway_id) DO UPDATE SET fixes_json = excluded.fixes_json, updated_at = excluded.updated_at", tx)
                    .With("@g", unit.GatewayId).With("@f", unit.FixHistoryJson).With("@at", now).ExecuteNonQuery();
            }

            if (unit.Status is { } status && unit.GatewayId is not null)
            {
                c.Command("UPDATE gateways SET last_status = @s, last_status_at = @at WHERE id = @id", tx)
                    .With("@s", status.State).With("@at", Sql.Timestamp(status.At)).With("@id", unit.GatewayId).ExecuteNonQuery();
            }

            foreach (var letter in unit.DeadLetters)
            {
                Reject(letter);
            }

            if (unit.Checkpoint is { } checkpoint)
            {
                SaveCheckpoint(c, tx, checkpoint, now);
            }
        }

        pending.Flush();
        deadLetters.Prune();
        tx.Commit();
        return outcome;
    }

    /// <summary>
    /// Stores dead letters on their own (input rejected before any unit could be formed, lines InfluxDB refused), each
    /// with its own bytes, counted against the quota of <paramref name="sourceGatewayId"/> (empty: no gateway).
    /// </summary>
    public IngestionOutcome AddDeadLetters(IReadOnlyList<DeadLetter> letters, string sourceGatewayId = "")
    {
        ArgumentNullException.ThrowIfNull(letters);
        var unit = new IngestionUnit { SourceGatewayId = sourceGatewayId };
        unit.DeadLetters.AddRange(letters.Select(l => l.Payload is null ? l with { Payload = [] } : l));
        return Commit([unit]);
    }

    /// <summary>The persisted recent-fix history of every gateway (JSON), to warm the attestation state at start-up.</summary>
    public IReadOnlyDictionary<string, string> LoadFixHistories()
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT gateway_id, fixes_json FROM gateway_fixes");
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read())
        {
            map[r.GetString(0)] = r.GetString(1);
        }

        return map;
    }

    /// <summary>One gateway's persisted recent-fix history (JSON), if any.</summary>
    public string? LoadFixHistory(string gatewayId)
    {
        using var c = database.Connect();
        return c.Command("SELECT fixes_json FROM gateway_fixes WHERE gateway_id = @g").With("@g", gatewayId).ExecuteScalar() as string;
    }

    /// <summary>Moves a source's position forward, never back (a redelivered older message leaves it where it is).</summary>
    private static void SaveCheckpoint(DbConnection c, DbTransaction tx, SourceCheckpoint checkpoint, string now) =>
        c.Command(
            "INSERT INTO source_checkpoints (source, partition_id, sequence_number, offset_text, updated_at) VALUES (@s, @p, @n, @o, @at) " +
            "ON CONFLICT(source, partition_id) DO UPDATE SET sequence_number = excluded.sequence_number, offset_text = excluded.offset_text, updated_at = excluded.updated_at " +
            "WHERE excluded.sequence_number > source_checkpoints.sequence_number", tx)
            .With("@s", checkpoint.Source).With("@p", checkpoint.Partition).With("@n", checkpoint.SequenceNumber).With("@o", checkpoint.Offset).With("@at", now)
            .ExecuteNonQuery();

    private static DbCommand Reset(DbCommand command)
    {
        command.Parameters.Clear();
        return command;
    }
}
