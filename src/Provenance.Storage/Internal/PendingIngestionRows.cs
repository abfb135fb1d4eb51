using System.Data.Common;

namespace Provenance.Storage.Internal;

/// <summary>
/// The seal and journal rows a commit has accepted but not yet written, written when the commit flushes them: on
/// PostgreSQL with multi-row inserts of up to <see cref="ManyRows.Chunk"/> rows (one round trip each), on SQLite one
/// row per statement (no round trips to save there, and a 64-row statement costs more to prepare than it saves).
/// Each statement shape is prepared once per commit and bound again. Journal rows keep the order they were added in,
/// which is the order their positions are assigned in. Not thread-safe: one per commit; dispose with it.
/// </summary>
internal sealed class PendingIngestionRows(DbConnection c, DbTransaction tx) : IDisposable
{
    private const string SealColumns =
        "event_id, gtin, serial, gateway_id, site_id, line, sealed_at, seal_type, nfc_uid, seq, content_hash, attested, attestation_json, message_id, received_at, attestation_inputs";

    private const string JournalColumns = "kind, event_id, body, message_id, created_at, trace_parent";

    private readonly List<object?[]> _seals = [];
    private readonly List<object?[]> _journal = [];
    private readonly Dictionary<(string Table, int Rows), DbCommand> _inserts = [];
    private readonly int _chunk = c.IsPostgres() ? ManyRows.Chunk : 1;

    /// <summary>A seals row, its values in the order of <see cref="SealColumns"/>.</summary>
    public void AddSeal(params object?[] row) => _seals.Add(row);

    public void AddJournal(string kind, string eventId, string body, long? messageId, string createdAt, string? traceParent) =>
        _journal.Add([kind, eventId, body, messageId, createdAt, traceParent]);

    /// <summary>Writes every pending row (seals first) and forgets them.</summary>
    public void Flush()
    {
        Insert("seals", SealColumns, _seals);
        Insert("journal", JournalColumns, _journal);
    }

    private void Insert(string table, string columns, List<object?[]> rows)
    {
        foreach (var chunk in ManyRows.Chunks(rows, _chunk))
        {
            if (!_inserts.TryGetValue((table, chunk.Count), out var insert))
            {
                insert = c.Command(string.Empty, tx);
                insert.CommandText = $"INSERT INTO {table} ({columns}) VALUES {ManyRows.RowList(insert, "v", chunk)}";
                _inserts[(table, chunk.Count)] = insert;
            }
            else
            {
                ManyRows.Rebind(insert, chunk);
            }

            insert.ExecuteNonQuery();
        }

        rows.Clear();
    }

    public void Dispose()
    {
        foreach (var insert in _inserts.Values)
        {
            insert.Dispose();
        }
    }
}
