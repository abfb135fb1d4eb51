using System.Data.Common;
using Provenance.Storage.Epcis;
using Provenance.Storage.Internal;

namespace Provenance.Storage;

/// <summary>A producer's or retailer's event on a tag or a whole lot: <c>recalled</c>, <c>voided</c> or <c>opened</c>.</summary>
public sealed record TagEvent(string Kind, string Gtin, string? Serial, string? Lot, DateTimeOffset At, string? Reason, string? Source)
{
    /// <summary>The time the caller claimed, kept as a claim when <see cref="At"/> is the server's own time.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>Who recorded it: the API key id (or <c>cli</c>).</summary>
    public string? RecordedBy { get; init; }
}

/// <summary>Recalls, voids and seal-opened events. Events are only added, never changed. Thread-safe.</summary>
public sealed class TagEventStore(ProvenanceDatabase database)
{
    public const string Recalled = "recalled";
    public const string Voided = "voided";
    public const string Opened = "opened";

    /// <summary>Adds events in one transaction, with the EPCIS event that reports them when given.</summary>
    public void Add(IReadOnlyCollection<TagEvent> events, EpcisEventRow? epcisEvent = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var c = database.Connect();
        using var tx = database.BeginWrite(c);
        Insert(c, tx, events, epcisEvent, database.Time.GetUtcNow());
        tx.Commit();
        if (events.Any(e => e.Serial is null))
        {
            database.TagChanges.PublishAll(); // a whole lot
        }
        else
        {
            database.TagChanges.Publish(events.Select(e => new TagKey(e.Gtin, e.Serial!)));
        }
    }

    /// <summary>Adds events (and the EPCIS event that reports them) inside the caller's transaction.</summary>
    internal static void Insert(DbConnection c, DbTransaction tx, IReadOnlyCollection<TagEvent> events, EpcisEventRow? epcisEvent, DateTimeOffset recordedAt)
    {
        using var insert = c.Command("INSERT INTO tag_events (kind, gtin, serial, lot, reason, source, at, recorded_at, claimed_at, recorded_by) VALUES (@k, @g, @s, @l, @r, @src, @at, @now, @claim, @by)", tx);
        var now = Sql.Timestamp(recordedAt);
        foreach (var e in events)
        {
            insert.Parameters.Clear();
            insert.With("@k", e.Kind).With("@g", e.Gtin).With("@s", e.Serial).With("@l", e.Lot).With("@r", e.Reason).With("@src", e.Source)
                .With("@at", Sql.Timestamp(e.At)).With("@now", now).With("@claim", e.ClaimedAt is { } claim ? Sql.Timestamp(claim) : null).With("@by", e.RecordedBy)
                .ExecuteNonQuery();
        }

        if (epcisEvent is not null)
        {
            EpcisEventStore.Insert(c, tx, epcisEvent, recordedAt);
        }
    }

    /// <summary>
    /// The events that cover tag <c>$g</c>/<c>$s</c>, as two index searches: its own (by serial) and its lot's (no
    /// serial, lot = <paramref name="lot"/>, an SQL expression). One <c>serial = $s OR (serial IS NULL AND lot = …)</c>
    /// condition makes SQLite walk every event of the GTIN instead.
    /// </summary>
    internal static string CoveringEvents(string lot) =>
        "SELECT kind, serial, lot, at, reason, source FROM tag_events WHERE gtin = @g AND serial = @s " +
        "UNION ALL SELECT kind, serial, lot, at, reason, source FROM tag_events WHERE gtin = @g AND serial IS NULL AND lot = " + lot;

    /// <summary>
    /// The earliest event of each kind that covers the tag, by serial and by lot apart, with <paramref name="before"/> and
    /// <paramref name="after"/> around its six columns. SQLite takes the other columns of a <c>MIN()</c> row from that
    /// row; PostgreSQL says the same with <c>DISTINCT ON</c>.
    /// </summary>
    internal static string EarliestCoveringEvents(string lot, string before, string after, bool postgres) => postgres
        ? $"SELECT DISTINCT ON (kind, serial IS NULL) {before}kind, serial, lot, at, reason, source{after} FROM ({CoveringEvents(lot)}) AS covering ORDER BY kind, serial IS NULL, at"
        : $"SELECT {before}kind, serial, lot, MIN(at), reason, source{after} FROM ({CoveringEvents(lot)}) AS covering GROUP BY kind, serial IS NULL";

    /// <summary>The earliest event of each kind that covers the tag (by serial, or by its lot), oldest first.</summary>
    public IReadOnlyList<TagEvent> For(string gtin, string serial, string? lot)
    {
        using var c = database.Connect();
        using var cmd = c.Command(
            $"SELECT * FROM ({EarliestCoveringEvents("@l", string.Empty, string.Empty, c.IsPostgres())}) AS earliest ORDER BY 4")
            .With("@g", gtin).With("@s", serial).With("@l", lot);
        using var r = cmd.ExecuteReader();
        var list = new List<TagEvent>();
        while (r.Read())
        {
            list.Add(new TagEvent(r.GetString(0), gtin, r.NullableString(1), r.NullableString(2), Sql.ParseTimestamp(r.GetString(3)), r.NullableString(4), r.NullableString(5)));
        }

        return list;
    }
}
