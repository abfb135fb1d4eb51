using System.Data.Common;

namespace Provenance.Storage.Internal;

/// <summary>
/// The seal and journal rows a commit has accepted but not yet written, written with <see cref="RowInserter"/>s when
/// the commit flushes them. Journal rows keep the order they were added in, which is the order their positions are
/// assigned in. Not thread-safe: one per commit; dispose with it.
/// </summary>
internal sealed class PendingIngestionRows(DbConnection c, DbTransaction tx) : IDisposable
{
    private const string SealColumns =
        "event_id, gtin, serial, gateway_id, site_id, line, sealed_at, seal_type, nfc_uid, seq, content_hash, attested, attestation_json, message_id, received_at, attestation_inputs";

    private const string JournalColumns = "kind, event_id, body, message_id, created_at, trace_parent";

    private readonly List<object?[]> _seals = [];
    private readonly List<object?[]> _journal = [];
    private readonly RowInserter _sealInserts = new(c, tx, "seals", SealColumns);
    private readonly RowInserter _journalInserts = new(c, tx, "journal", JournalColumns);

    /// <summary>A seals row, its values in the order of <see cref="SealColumns"/>.</summary>
    public void AddSeal(params object?[] row) => _seals.Add(row);

    public void AddJournal(string kind, string eventId, string body, long? messageId, string createdAt, string? traceParent) =>
        _journal.Add([kind, eventId, body, messageId, createdAt, traceParent]);

    /// <summary>Writes every pending row (seals first) and forgets them.</summary>
    public void Flush()
    {
        _sealInserts.Insert(_seals);
        _seals.Clear();
        _journalInserts.Insert(_journal);
        _journal.Clear();
    }

    public void Dispose()
    {
        _sealInserts.Dispose();
        _journalInserts.Dispose();
    }
}
