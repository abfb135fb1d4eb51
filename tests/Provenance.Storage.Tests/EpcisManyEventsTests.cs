using Provenance.Storage.Epcis;
using Provenance.Storage.Internal;
using Provenance.Storage.Journal;

namespace Provenance.Storage.Tests;

/// <summary>
/// The seal projection adds its events many per statement on PostgreSQL (<see cref="EpcisEventStore.AddFromJournal"/>;
/// one by one on SQLite, where that was faster): over more events than one statement carries, it stores what adding them one at a time stores (same order, same EPC index),
/// skips a repeated event whether stored already or earlier in the batch, and refuses the whole batch on an event id
/// reused for different content.
/// </summary>
public sealed class EpcisManyEventsTests : IDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-30T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly string _dir = Directory.CreateTempSubdirectory("prov-epcis-many-").FullName;
    private readonly ProvenanceDatabase _db;
    private readonly EpcisEventStore _store;

    public EpcisManyEventsTests()
    {
        _db = TestStorage.Open(_dir);
        _store = new EpcisEventStore(_db);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void More_events_than_one_statement_carries_are_stored_in_row_order_with_their_epcs_and_repeats_skipped()
    {
        _store.Add([Row(3), Row(130)]);
        var rows = Enumerable.Range(0, 150).Select(i => Row(i)).ToList();
        rows.Insert(20, Row(5));     // a repeat inside the same chunk as its first occurrence
        rows.Insert(100, Row(10));   // a repeat in a later chunk

        var added = _store.AddFromJournal(rows, cursorAfter: 42);

        Assert.Equal(148, added);
        var expectedOrder = new[] { 3, 130 }.Concat(Enumerable.Range(0, 150).Where(i => i is not 3 and not 130)).Select(Id).ToList();
        Assert.Equal(expectedOrder, StoredIdsInSeqOrder());
        Assert.Equal(
            Enumerable.Range(0, 150).SelectMany(i => Row(i).Epcs.Select(epc => (epc, Id(i)))).Order().ToList(),
            IndexedEpcs());
        Assert.Equal(42, new JournalStore(_db).Cursor(EpcisEventStore.SinkName));
    }

    [Fact]
    public void Adding_many_events_at_once_stores_what_adding_them_one_at_a_time_stores()
    {
        var rows = Enumerable.Range(0, 140).Select(i => Row(i)).ToList();
        rows.Insert(70, Row(1));
        var oneByOneDir = Directory.CreateTempSubdirectory("prov-epcis-one-").FullName;
        try
        {
            var oneByOne = TestStorage.Open(oneByOneDir);
            var oneByOneAdded = rows.Sum(row => new EpcisEventStore(oneByOne).Add([row]));

            Assert.Equal(oneByOneAdded, _store.AddFromJournal(rows, cursorAfter: 1));
            Assert.Equal(StoredIdsInSeqOrder(oneByOne), StoredIdsInSeqOrder());
            Assert.Equal(IndexedEpcs(oneByOne), IndexedEpcs());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(oneByOneDir, recursive: true);
        }
    }

    [Theory]
    [InlineData(30)]
    [InlineData(120)]
    public void An_event_id_reused_with_different_content_later_in_the_batch_refuses_the_whole_batch(int at)
    {
        var rows = Enumerable.Range(0, 150).Select(i => Row(i)).ToList();
        rows.Insert(at, Row(10) with { ContentHash = "other-content" });

        var conflict = Assert.Throws<EpcisConflictException>(() => _store.AddFromJournal(rows, cursorAfter: 42));

        Assert.Equal(Id(10), conflict.EventId);
        Assert.Equal(0, _store.Count());
        Assert.Empty(IndexedEpcs());
        Assert.Equal(0, new JournalStore(_db).Cursor(EpcisEventStore.SinkName));
    }

    [Fact]
    public void An_event_id_stored_with_different_content_refuses_the_whole_batch()
    {
        _store.Add([Row(100)]);
        var rows = Enumerable.Range(0, 150).Select(i => i == 100 ? Row(i) with { ContentHash = "other-content" } : Row(i)).ToList();

        var conflict = Assert.Throws<EpcisConflictException>(() => _store.AddFromJournal(rows, cursorAfter: 42));

        Assert.Equal(Id(100), conflict.EventId);
        Assert.Equal([Id(100)], StoredIdsInSeqOrder());
    }

    [Fact]
    public void A_captured_document_of_many_events_is_stored_in_order_and_a_reused_id_rolls_the_whole_capture_back()
    {
        var capture = new EpcisCaptureWriter(_db);
        _store.Add([Row(3)]);
        var document = new CaptureChanges();
        document.Events.AddRange(Enumerable.Range(0, 150).Select(i => Row(i)));

        Assert.Equal(149, capture.Apply("capture-1", "key-1", document));
        Assert.Equal(new[] { 3 }.Concat(Enumerable.Range(0, 150).Where(i => i != 3)).Select(Id).ToList(), StoredIdsInSeqOrder());
        Assert.Equal(Enumerable.Range(0, 150).SelectMany(i => Row(i).Epcs.Select(epc => (epc, Id(i)))).Order().ToList(), IndexedEpcs());

        var conflicting = new CaptureChanges();
        conflicting.Events.AddRange(Enumerable.Range(150, 100).Select(i => Row(i)));
        conflicting.Events.Add(Row(10) with { ContentHash = "other-content" });
        var conflict = Assert.Throws<EpcisConflictException>(() => capture.Apply("capture-2", "key-1", conflicting));

        Assert.Equal(Id(10), conflict.EventId);
        Assert.Equal(150, _store.Count());
        Assert.NotNull(capture.Find("capture-1"));
        Assert.Null(capture.Find("capture-2"));
    }

    private static string Id(int i) => $"urn:uuid:ev-{i:D4}";

    /// <summary>An event naming three EPCs of its own (none shared, so an EPC indexed under the wrong event shows).</summary>
    private static EpcisEventRow Row(int i) => new(
        Id(i), "ObjectEvent", "urn:epcglobal:cbv:bizstep:commissioning", "ADD", null, At.AddSeconds(i), null, null,
        [.. Enumerable.Range(0, 3).Select(k => $"https://id.example.com/01/09506000134352/21/S{i:D4}-{k}")],
        null, null, "ingestion", $"hash-{i}", $$"""{"eventID":"{{Id(i)}}","i":{{i}}}""", null);

    private List<string> StoredIdsInSeqOrder(ProvenanceDatabase? db = null)
    {
        using var c = (db ?? _db).Connect();
        using var r = c.Command("SELECT event_id FROM epcis_events ORDER BY seq").ExecuteReader();
        var ids = new List<string>();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }

        return ids;
    }

    private List<(string Epc, string EventId)> IndexedEpcs(ProvenanceDatabase? db = null)
    {
        using var c = (db ?? _db).Connect();
        using var r = c.Command("SELECT x.epc, e.event_id FROM epcis_epcs x JOIN epcis_events e ON e.seq = x.seq").ExecuteReader();
        var epcs = new List<(string, string)>();
        while (r.Read())
        {
            epcs.Add((r.GetString(0), r.GetString(1)));
        }

        return [.. epcs.Order()];
    }
}
