using System.Security.Cryptography;
using System.Text;
using Provenance.Core.Verdicts;
using Provenance.Storage.Ingestion;

namespace Provenance.Storage.Tests;

/// <summary>Chip bindings made by seal events, and the per-chip read counter that refuses replays.</summary>
public sealed class NfcTapStoreTests : IDisposable
{
    private const string Gtin = "09506000134352";
    private readonly string _dir = Directory.CreateTempSubdirectory("prov-nfc-").FullName;
    private readonly ProvenanceDatabase _db;
    private readonly NfcTapStore _taps;

    public NfcTapStoreTests()
    {
        _db = TestStorage.Open(_dir);
        _taps = new NfcTapStore(_db);
        using var c = _db.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO messages (topic, gateway_id, jws, received_at) VALUES ('t', 'g1', 'x', '2026-01-01T00:00:00Z')";
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_seal_with_an_nfc_uid_binds_the_chip_to_the_bottle()
    {
        new IngestionWriter(_db).Commit([Seal("ev-1", "SER1", "04A1B2C3D4E5F6")]);

        var binding = _taps.FindBinding("04A1B2C3D4E5F6");

        Assert.Equal((Gtin, "SER1", "ev-1"), (binding!.Gtin, binding.Serial, binding.EventId));
        Assert.Null(_taps.FindBinding("04A1B2C3D4E5F7"));
    }

    [Fact]
    public void A_chip_already_bound_to_one_bottle_is_refused_for_another_as_a_conflict()
    {
        var writer = new IngestionWriter(_db);
        writer.Commit([Seal("ev-1", "SER1", "04A1B2C3D4E5F6")]);

        var outcome = writer.Commit([Seal("ev-2", "SER2", "04A1B2C3D4E5F6"), Seal("ev-3", "SER3", "04A1B2C3D4E5F7")]);

        Assert.Equal(1, outcome.SealsStored);
        Assert.Equal(1, outcome.DeadLettersByReason["conflict"]);
        Assert.Contains("NFC chip 04A1B2C3D4E5F6 is already bound to tag 09506000134352/SER1 by event ev-1", Assert.Single(new DeadLetterStore(_db).List("conflict")).Reason, StringComparison.Ordinal);
        Assert.Null(new SealStore(_db).FindByTag(Gtin, "SER2"));
        Assert.Equal("SER1", _taps.FindBinding("04A1B2C3D4E5F6")!.Serial);
    }

    [Fact]
    public void The_counter_must_strictly_increase_equal_is_a_replay_and_lower_a_rollback()
    {
        var at = DateTimeOffset.UtcNow;

        Assert.Equal(new NfcCounterOutcome(CapCounter.Fresh, null), _taps.Advance("04A1B2C3D4E5F6", 1, 5, "closed", at));
        Assert.Equal(new NfcCounterOutcome(CapCounter.Fresh, 5), _taps.Advance("04A1B2C3D4E5F6", 1, 9, "closed", at));
        Assert.Equal(new NfcCounterOutcome(CapCounter.Replayed, 9), _taps.Advance("04A1B2C3D4E5F6", 1, 9, "closed", at));
        Assert.Equal(new NfcCounterOutcome(CapCounter.RolledBack, 9), _taps.Advance("04A1B2C3D4E5F6", 1, 6, "open", at));
        Assert.Equal(new NfcCounterOutcome(CapCounter.Fresh, null), _taps.Advance("04A1B2C3D4E5F7", 1, 1, "closed", at));

        var last = _taps.Find("04A1B2C3D4E5F6")!.Value;
        Assert.Equal((9, "closed", 4), (last.LastCounter, last.Tamper, last.Taps));
    }

    [Fact]
    public void Of_many_concurrent_requests_with_the_same_message_exactly_one_is_fresh()
    {
        _taps.Advance("04A1B2C3D4E5F6", 1, 1, "closed", DateTimeOffset.UtcNow);
        using var start = new Barrier(8);

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<CapCounter>();
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            outcomes.Add(_taps.Advance("04A1B2C3D4E5F6", 1, 2, "closed", DateTimeOffset.UtcNow).State);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Single(outcomes, s => s == CapCounter.Fresh);
        Assert.Equal(7, outcomes.Count(s => s == CapCounter.Replayed));
    }

    private static IngestionUnit Seal(string eventId, string serial, string nfcUid)
    {
        var unit = new IngestionUnit { Topic = "prov/v1/s1/g1/seal", GatewayId = "g1", Jws = "header.payload.signature" };
        unit.Seals.Add(new SealToStore(eventId, Gtin, serial, "g1", "s1", "l1", DateTimeOffset.UtcNow, "capsule", nfcUid, 1, true, "{}",
            SHA256.HashData(Encoding.UTF8.GetBytes(eventId)), "{}"));
        return unit;
    }
}
