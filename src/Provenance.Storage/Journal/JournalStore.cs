using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Journal;

/// <summary>
/// Reads the journal and the sinks' cursors. Entries are appended by <see cref="Ingestion.IngestionWriter"/> in the
/// same transaction as the state they describe. Thread-safe.
/// </summary>
public sealed class JournalStore(ProvenanceDatabase database)
{
    /// <summary>Up to <paramref name="limit"/> entries after <paramref name="afterPosition"/>, optionally of one kind, in order.</summary>
    public IReadOnlyList<JournalEntry> ReadAfter(long afterPosition, int limit, string? kind = null)
    {
        using var c = database.Connect();
        using var cmd = c.Command(
            "SELECT position, kind, event_id, body, message_id, created_at, trace_parent FROM journal WHERE position > @p"
            + (kind is null ? string.Empty : " AND kind = @k") + " ORDER BY position LIMIT @n")
            .With("@p", afterPosition).With("@k", kind).With("@n", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<JournalEntry>();
        while (r.Read())
        {
            list.Add(new JournalEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4), Sql.ParseTimestamp(r.GetString(5)))
            {
                TraceParent = r.IsDBNull(6) ? null : r.GetString(6),
            });
        }

        return list;
    }

    public long Head()
    {
        using var c = database.Connect();
        return c.Command("SELECT COALESCE(MAX(position), 0) FROM journal").ScalarLong();
    }

    public long Cursor(string sink)
    {
        using var c = database.Connect();
        return c.Command("SELECT COALESCE((SELECT position FROM sink_cursors WHERE sink = @s), 0)").With("@s", sink).ScalarLong();
    }

    public void SetCursor(string sink, long position)
    {
        using var c = database.Connect();
        SetCursor(c, null, sink, position);
    }

    internal static void SetCursor(DbConnection c, DbTransaction? tx, string sink, long position) =>
        c.Command("INSERT INTO sink_cursors (sink, position) VALUES (@s, @p) ON CONFLICT(sink) DO UPDATE SET position = excluded.position WHERE excluded.position > sink_cursors.position", tx)
            .With("@s", sink).With("@p", position).ExecuteNonQuery();

    /// <summary>Entries a sink has not yet consumed.</summary>
    public long Lag(string sink)
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM journal WHERE position > COALESCE((SELECT position FROM sink_cursors WHERE sink = @s), 0)").With("@s", sink).ScalarLong();
    }
}
