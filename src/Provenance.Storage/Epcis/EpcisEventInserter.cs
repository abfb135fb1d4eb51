using System.Data;
using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Epcis;

/// <summary>
/// Inserts EPCIS events inside one transaction. One event at a time (<see cref="Insert"/>): three statements prepared
/// once and bound again for every event. Many events (<see cref="InsertMany"/>, the seal projection's hundreds per
/// transaction while it holds the database's write lock): on PostgreSQL, where every statement is a round trip, three
/// statements per <see cref="ManyRows.Chunk"/> events instead of two plus one per EPC for each. Not thread-safe; lives
/// as long as the transaction.
/// </summary>
internal sealed class EpcisEventInserter : IDisposable
{
    private const string Columns = "event_id, event_type, biz_step, action, disposition, event_time, record_time, biz_location, parent_id, distributor_id, batch_id, source, content_hash, json, prefixes_json";

    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly DbCommand _existing;
    private readonly DbCommand _insert;
    private readonly DbCommand _epc;
    private readonly DbParameter _epcUri;
    private readonly DbParameter _epcSeq;

    public EpcisEventInserter(DbConnection c, DbTransaction tx)
    {
        _connection = c;
        _transaction = tx;
        _existing = c.Command("SELECT content_hash FROM epcis_events WHERE event_id = @e", tx);
        _existing.Parameter("@e", DbType.String);
        _insert = c.Command(
            $"INSERT INTO epcis_events ({Columns}) VALUES (@e, @t, @b, @a, @d, @et, @rt, @l, @p, @dist, @batch, @src, @h, @j, @pj) RETURNING seq", tx);
        foreach (var name in (string[])["@e", "@t", "@b", "@a", "@d", "@et", "@rt", "@l", "@p", "@dist", "@batch", "@src", "@h", "@j", "@pj"])
        {
            _insert.Parameter(name);
        }

        _epc = c.Command("INSERT INTO epcis_epcs (epc, seq) VALUES (@epc, @s) ON CONFLICT DO NOTHING", tx);
        _epcUri = _epc.Parameter("@epc", DbType.String);
        _epcSeq = _epc.Parameter("@s", DbType.Int64);
    }

    /// <summary>
    /// Inserts one event. Returns false when the same event (same id, same content) is already stored; throws
    /// <see cref="EpcisConflictException"/> when the id is taken by different content.
    /// </summary>
    public bool Insert(EpcisEventRow row, DateTimeOffset recordTime)
    {
        _existing.Parameters[0].Value = row.EventId;
        if (_existing.ExecuteScalar() is string existing)
        {
            return existing == row.ContentHash ? false : throw new EpcisConflictException(row.EventId);
        }

        var values = Values(row, recordTime);
        for (var i = 0; i < values.Length; i++)
        {
            _insert.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        var seq = _insert.ScalarLong();
        _epcSeq.Value = seq;
        foreach (var uri in row.Epcs)
        {
            _epcUri.Value = uri;
            _epc.ExecuteNonQuery();
        }

        return true;
    }

    /// <summary>
    /// Inserts events in their order (their sequence numbers follow it) as <see cref="Insert"/> one by one would:
    /// returns how many were new; an event stored already, or earlier in <paramref name="rows"/>, with the same content
    /// is skipped, and with different content throws <see cref="EpcisConflictException"/> (the caller's transaction
    /// then holds part of the rows and must not be committed, as with <see cref="Insert"/>).
    /// </summary>
    public int InsertMany(IReadOnlyList<EpcisEventRow> rows, DateTimeOffset recordTime)
    {
        if (!_connection.IsPostgres())
        {
            // SQLite has no round trip to save, and there the 64-event statements (960 parameters each) were slower:
            // 1,000 events took ~70-110 ms instead of ~25-40 ms one by one.
            return rows.Count(row => Insert(row, recordTime));
        }

        var added = new Dictionary<string, string>(StringComparer.Ordinal);
        using var epcs = new RowInserter(_connection, _transaction, "epcis_epcs", "epc, seq", " ON CONFLICT DO NOTHING");
        foreach (var chunk in ManyRows.Chunks(rows))
        {
            var stored = StoredHashes(chunk);
            var fresh = new List<EpcisEventRow>(chunk.Count);
            foreach (var row in chunk)
            {
                if (added.TryGetValue(row.EventId, out var hash) || stored.TryGetValue(row.EventId, out hash))
                {
                    if (hash != row.ContentHash)
                    {
                        throw new EpcisConflictException(row.EventId);
                    }

                    continue;
                }

                added.Add(row.EventId, row.ContentHash);
                fresh.Add(row);
            }

            if (fresh.Count > 0)
            {
                var seqs = InsertEvents(fresh, recordTime);
                epcs.Insert([.. fresh.SelectMany(row => row.Epcs.Select(uri => new object?[] { uri, seqs[row.EventId] }))]);
            }
        }

        return added.Count;
    }

    public void Dispose()
    {
        _existing.Dispose();
        _insert.Dispose();
        _epc.Dispose();
    }

    private Dictionary<string, string> StoredHashes(IReadOnlyList<EpcisEventRow> rows)
    {
        using var cmd = _connection.Command(string.Empty, _transaction);
        var ids = ManyRows.InList(cmd, "e", [.. rows.Select(row => row.EventId).Distinct(StringComparer.Ordinal)]);
        cmd.CommandText = $"SELECT event_id, content_hash FROM epcis_events WHERE event_id IN ({ids})";
        using var r = cmd.ExecuteReader();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read())
        {
            hashes[r.GetString(0)] = r.GetString(1);
        }

        return hashes;
    }

    /// <summary>Inserts events with distinct new ids in their order; returns each one's sequence number by id (RETURNING's order is not promised).</summary>
    private Dictionary<string, long> InsertEvents(IReadOnlyList<EpcisEventRow> rows, DateTimeOffset recordTime)
    {
        using var cmd = _connection.Command(string.Empty, _transaction);
        cmd.CommandText = $"INSERT INTO epcis_events ({Columns}) VALUES {ManyRows.RowList(cmd, "v", [.. rows.Select(row => Values(row, recordTime))])} RETURNING event_id, seq";
        using var r = cmd.ExecuteReader();
        var seqs = new Dictionary<string, long>(StringComparer.Ordinal);
        while (r.Read())
        {
            seqs.Add(r.GetString(0), r.GetInt64(1));
        }

        return seqs;
    }

    /// <summary>The values of <see cref="Columns"/> for an event.</summary>
    private static object?[] Values(EpcisEventRow row, DateTimeOffset recordTime) =>
    [
        row.EventId, row.EventType, row.BizStep, row.Action, row.Disposition, Sql.Timestamp(row.EventTime), Sql.Timestamp(recordTime),
        row.BizLocation, row.ParentId, row.DistributorId, row.BatchId, row.Source, row.ContentHash, row.Json, row.PrefixesJson,
    ];
}
