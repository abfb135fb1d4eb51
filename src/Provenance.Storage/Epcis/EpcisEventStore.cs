using System.Data.Common;
using System.Text;
using Provenance.Core.Epcis;
using Provenance.Storage.Internal;
using Provenance.Storage.Journal;

namespace Provenance.Storage.Epcis;

/// <summary>
/// The EPCIS repository: events as they were recorded (never changed), indexed for the EPCIS query parameters, in
/// record order. Events are added in the same SQLite transaction as the state change they describe (see the
/// <c>Insert</c> overloads other stores call), so the repository and the state never disagree. Thread-safe.
/// </summary>
public sealed class EpcisEventStore(ProvenanceDatabase database)
{
    /// <summary>The journal cursor of the projection that turns seals into events.</summary>
    public const string SinkName = "epcis";

    /// <summary>Adds events in one transaction; returns how many were new (an identical event already stored is skipped).</summary>
    public int Add(IReadOnlyList<EpcisEventRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        using var inserter = new EpcisEventInserter(c, tx);
        var added = inserter.InsertMany(rows, database.Time.GetUtcNow());
        tx.Commit();
        return added;
    }

    /// <summary>Adds events projected from the journal and moves the projection's cursor in the same transaction.</summary>
    public int AddFromJournal(IReadOnlyList<EpcisEventRow> rows, long cursorAfter)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var c = database.Connect();
        using var write = database.WriteLock.EnterScope();
        using var tx = database.BeginWrite(c);
        var now = database.Time.GetUtcNow();
        using var inserter = new EpcisEventInserter(c, tx);
        var added = inserter.InsertMany(rows, now);
        JournalStore.SetCursor(c, tx, SinkName, cursorAfter);
        tx.Commit();
        return added;
    }

    /// <summary>
    /// Inserts one event inside the caller's transaction. Returns false when the same event (same id, same content) is
    /// already stored; throws <see cref="EpcisConflictException"/> when the id is taken by different content.
    /// </summary>
    internal static bool Insert(DbConnection c, DbTransaction tx, EpcisEventRow row, DateTimeOffset recordTime)
    {
        using var inserter = new EpcisEventInserter(c, tx);
        return inserter.Insert(row, recordTime);
    }

    /// <summary>One event by id, or null.</summary>
    public StoredEpcisEvent? Find(string eventId)
    {
        using var c = database.Connect();
        using var cmd = c.Command("SELECT seq, event_id, json, record_time, prefixes_json, distributor_id, content_hash FROM epcis_events WHERE event_id = @e").With("@e", eventId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }

    /// <summary>Whether an event names the EPC (directly or, for commissioning, through its batch).</summary>
    public bool Names(string eventId, IReadOnlyList<string> epcs)
    {
        if (epcs.Count == 0)
        {
            return false;
        }

        return Query(new EpcisQuery { EventIds = [eventId], AnyEpcs = epcs, AnyBottles = Bottles(epcs), Limit = 1 }).Count > 0;
    }

    /// <summary>The events matching a query, in record order, at most <see cref="EpcisQuery.Limit"/>.</summary>
    public IReadOnlyList<StoredEpcisEvent> Query(EpcisQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var c = database.Connect();
        // PostgreSQL has dl_bottle from its schema; SQLite gets the same function from this process.
        (c as Microsoft.Data.Sqlite.SqliteConnection)?.CreateFunction("dl_bottle", (string gtin, string serial) => Epc.ForBottle(gtin, serial).Uri, isDeterministic: true);
        using var cmd = c.CreateCommand();
        var sql = new StringBuilder("SELECT e.seq, e.event_id, e.json, e.record_time, e.prefixes_json, e.distributor_id, e.content_hash FROM epcis_events e WHERE e.seq > @after");
        cmd.With("@after", query.AfterSequence);
        AnyOf(sql, cmd, "e.event_type", query.EventTypes, "ty");
        AnyOf(sql, cmd, "e.biz_step", query.BizSteps, "bs");
        AnyOf(sql, cmd, "e.action", query.Actions, "ac");
        AnyOf(sql, cmd, "e.disposition", query.Dispositions, "di");
        AnyOf(sql, cmd, "e.biz_location", query.BizLocations, "bl");
        AnyOf(sql, cmd, "e.event_id", query.EventIds, "id");
        AnyOf(sql, cmd, "e.parent_id", query.ParentIds, "pa");
        Between(sql, cmd, "e.event_time", query.EventTimeFrom, query.EventTimeBefore, "et");
        Between(sql, cmd, "e.record_time", query.RecordTimeFrom, query.RecordTimeBefore, "rt");
        if (query.AnyEpcs.Count > 0)
        {
            sql.Append(" AND (").Append(NamesAny(cmd, query.AnyEpcs, query.AnyBottles, "ae")).Append(')');
        }

        if (query.Lot is { } lot)
        {
            cmd.With("@lg", lot.Gtin);
            cmd.With("@ll", lot.Lot);
            cmd.With("@lu", Epc.ForLot(lot.Gtin, lot.Lot).Uri);
            sql.Append(" AND (e.batch_id IN (SELECT id FROM batches WHERE gtin = @lg AND lot = @ll)")
                .Append(" OR e.seq IN (SELECT x.seq FROM tags t JOIN epcis_epcs x ON x.epc = dl_bottle(t.gtin, t.serial) WHERE t.gtin = @lg AND t.lot = @ll)")
                .Append(" OR e.seq IN (SELECT seq FROM epcis_epcs WHERE epc = @lu))");
        }

        if (query.VisibleToDistributor is { } distributor)
        {
            cmd.With("@me", distributor);
            sql.Append(" AND (e.distributor_id = @me");
            if (query.VisibleEpcs.Count > 0)
            {
                sql.Append(" OR ").Append(NamesAny(cmd, query.VisibleEpcs, Bottles(query.VisibleEpcs), "ve"));
            }

            sql.Append(')');
        }

        sql.Append(" ORDER BY e.seq LIMIT @limit");
        cmd.With("@limit", query.Limit);
        cmd.CommandText = sql.ToString();
        using var r = cmd.ExecuteReader();
        var list = new List<StoredEpcisEvent>();
        while (r.Read())
        {
            list.Add(Read(r));
        }

        return list;
    }

    /// <summary>The bottles (GTIN + serial) among canonical EPC URIs.</summary>
    public static IReadOnlyList<TagKey> Bottles(IEnumerable<string> epcs) =>
        [.. epcs.Select(e => Epc.TryParse(e, out var epc, out _) && epc!.Kind == EpcKind.Bottle ? new TagKey(epc.Gtin!, epc.Serial!) : (TagKey?)null).OfType<TagKey>()];

    public long Count()
    {
        using var c = database.Connect();
        return c.Command("SELECT COUNT(*) FROM epcis_events").ScalarLong();
    }

    private static string NamesAny(DbCommand cmd, IReadOnlyList<string> epcs, IReadOnlyList<TagKey> bottles, string name)
    {
        var epcParams = Params(cmd, epcs, name);
        var sql = new StringBuilder($"e.seq IN (SELECT seq FROM epcis_epcs WHERE epc IN ({epcParams}))");
        if (bottles.Count > 0)
        {
            // Commissioning events name a whole chunk of a batch: find the batch of each bottle, then look in those events' EPC lists.
            var keys = string.Join(" OR ", bottles.Select((b, i) =>
            {
                cmd.With($"@{name}g{i}", b.Gtin);
                cmd.With($"@{name}s{i}", b.Serial);
                return $"(gtin = @{name}g{i} AND serial = @{name}s{i})";
            }));
            sql.Append($" OR (e.batch_id IN (SELECT batch_id FROM tags WHERE {keys}) AND EXISTS (SELECT 1 FROM {EpcList(cmd)} WHERE j.value IN ({epcParams})))");
        }

        return sql.ToString();
    }

    private static string EpcList(DbCommand cmd) => cmd.Connection!.IsPostgres()
        ? "jsonb_array_elements_text(CAST(e.json AS jsonb) -> 'epcList') j(value)"
        : "json_each(e.json, '$.epcList') j";

    private static void AnyOf(StringBuilder sql, DbCommand cmd, string column, IReadOnlyList<string> values, string name)
    {
        if (values.Count > 0)
        {
            sql.Append($" AND {column} IN ({Params(cmd, values, name)})");
        }
    }

    private static string Params(DbCommand cmd, IReadOnlyList<string> values, string name)
    {
        var names = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var p = $"@{name}{i}";
            cmd.With(p, values[i]);
            names.Add(p);
        }

        return string.Join(", ", names);
    }

    private static void Between(StringBuilder sql, DbCommand cmd, string column, DateTimeOffset? from, DateTimeOffset? before, string name)
    {
        if (from is { } f)
        {
            cmd.With($"@{name}f", Sql.Timestamp(f));
            sql.Append($" AND {column} >= @{name}f");
        }

        if (before is { } b)
        {
            cmd.With($"@{name}b", Sql.Timestamp(b));
            sql.Append($" AND {column} < @{name}b");
        }
    }

    private static StoredEpcisEvent Read(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), Sql.ParseTimestamp(r.GetString(3)), r.NullableString(4), r.NullableString(5), r.GetString(6));
}
