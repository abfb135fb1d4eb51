using System.Data;
using System.Data.Common;
using Provenance.Storage.Internal;

namespace Provenance.Storage.Epcis;

/// <summary>
/// Inserts EPCIS events inside one transaction with three statements prepared once and bound again for every event
/// (the seal projection adds hundreds per transaction while it holds the database's write lock; preparing each
/// statement per event was most of that time). Not thread-safe; lives as long as the transaction.
/// </summary>
internal sealed class EpcisEventInserter : IDisposable
{
    private readonly DbCommand _existing;
    private readonly DbCommand _insert;
    private readonly DbCommand _epc;
    private readonly DbParameter _epcUri;
    private readonly DbParameter _epcSeq;

    public EpcisEventInserter(DbConnection c, DbTransaction tx)
    {
        _existing = c.Command("SELECT content_hash FROM epcis_events WHERE event_id = @e", tx);
        _existing.Parameter("@e", DbType.String);
        _insert = c.Command(
            "INSERT INTO epcis_events (event_id, event_type, biz_step, action, disposition, event_time, record_time, biz_location, parent_id, distributor_id, batch_id, source, content_hash, json, prefixes_json) " +
            "VALUES (@e, @t, @b, @a, @d, @et, @rt, @l, @p, @dist, @batch, @src, @h, @j, @pj) RETURNING seq", tx);
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

        Bind(0, row.EventId);
        Bind(1, row.EventType);
        Bind(2, row.BizStep);
        Bind(3, row.Action);
        Bind(4, row.Disposition);
        Bind(5, Sql.Timestamp(row.EventTime));
        Bind(6, Sql.Timestamp(recordTime));
        Bind(7, row.BizLocation);
        Bind(8, row.ParentId);
        Bind(9, row.DistributorId);
        Bind(10, row.BatchId);
        Bind(11, row.Source);
        Bind(12, row.ContentHash);
        Bind(13, row.Json);
        Bind(14, row.PrefixesJson);
        var seq = _insert.ScalarLong();
        _epcSeq.Value = seq;
        foreach (var uri in row.Epcs)
        {
            _epcUri.Value = uri;
            _epc.ExecuteNonQuery();
        }

        return true;
    }

    public void Dispose()
    {
        _existing.Dispose();
        _insert.Dispose();
        _epc.Dispose();
    }

    private void Bind(int index, object? value) => _insert.Parameters[index].Value = value ?? DBNull.Value;
}
