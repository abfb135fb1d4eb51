using Provenance.Storage.Ingestion;
using Provenance.Storage.Journal;

namespace Provenance.Storage.Tests;

public sealed class IngestionWriterTests : IDisposable
{
    private readonly LedgerFixture _fixture = new(seals: 3);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_redelivered_seal_is_absorbed_as_a_duplicate()
    {
        var writer = new IngestionWriter(_fixture.Database);

        var outcome = writer.Commit([_fixture.SealUnit(1)]);

        Assert.Equal(0, outcome.SealsStored);
        Assert.Equal(1, outcome.Duplicates);
        Assert.Empty(outcome.DeadLettersByReason);
    }

    [Fact]
    public void A_second_different_seal_of_a_sealed_tag_is_refused_as_a_conflict()
    {
        var writer = new IngestionWriter(_fixture.Database);

        var outcome = writer.Commit([_fixture.SealUnit(1, eventId: "another-event")]);

        Assert.Equal(0, outcome.SealsStored);
        Assert.Equal(1, outcome.DeadLettersByReason["conflict"]);
        var letter = Assert.Single(new DeadLetterStore(_fixture.Database).List("conflict"));
        Assert.Contains("already sealed by event ev-00001", letter.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(letter.Payload);
    }

    [Fact]
    public void Reusing_an_event_id_for_other_content_is_refused_as_a_conflict()
    {
        var writer = new IngestionWriter(_fixture.Database);

        var outcome = writer.Commit([_fixture.SealUnit(7, eventId: "ev-00002", serial: "SER00777")]);

        Assert.Equal(1, outcome.DeadLettersByReason["conflict"]);
        Assert.Null(new SealStore(_fixture.Database).FindByTag("09506000134352", "SER00777"));
    }

    [Fact]
    public void Duplicates_within_one_group_commit_are_stored_once()
    {
        var writer = new IngestionWriter(_fixture.Database);

        var outcome = writer.Commit([_fixture.SealUnit(10), _fixture.SealUnit(10), _fixture.SealUnit(11)]);

        Assert.Equal(2, outcome.SealsStored);
        Assert.Equal(1, outcome.Duplicates);
        Assert.Equal(5, new SealStore(_fixture.Database).Count());
    }

    [Fact]
    public void Dead_letters_keep_the_reason_and_the_original_bytes()
    {
        var writer = new IngestionWriter(_fixture.Database);
        var bytes = "not a jws \u0001\u0002"u8.ToArray();

        writer.AddDeadLetters([new DeadLetter("prov/v1/s1/g1/seal", "malformed", "not a JWS", null, bytes)]);

        var letter = Assert.Single(new DeadLetterStore(_fixture.Database).List("malformed"));
        Assert.Equal(bytes, letter.Payload);
        Assert.Equal("prov/v1/s1/g1/seal", letter.Topic);
    }

    [Fact]
    public void A_group_commit_larger_than_one_statement_stores_every_seal_once_and_journals_them_in_order()
    {
        var writer = new IngestionWriter(_fixture.Database);
        var units = Enumerable.Range(100, 150).Select(i => _fixture.SealUnit(i)).ToList();
        var merged = units[0];
        foreach (var unit in units.Skip(1).Take(69))
        {
            merged.Seals.AddRange(unit.Seals); // one message of 70 seals, then 80 messages of one
        }

        var outcome = writer.Commit([merged, .. units.Skip(70), _fixture.SealUnit(1)]);

        Assert.Equal(150, outcome.SealsStored);
        Assert.Equal(1, outcome.Duplicates);
        Assert.Empty(outcome.DeadLettersByReason);
        Assert.Equal(153, new SealStore(_fixture.Database).Count());
        var journaled = new JournalStore(_fixture.Database).ReadAfter(0, 1_000).Select(e => e.EventId).Skip(3).ToList();
        Assert.Equal(Enumerable.Range(100, 150).Select(i => $"ev-{i:D5}"), journaled);

        var again = writer.Commit(Enumerable.Range(100, 150).Select(i => _fixture.SealUnit(i)).ToList());

        Assert.Equal(0, again.SealsStored);
        Assert.Equal(150, again.Duplicates);
        Assert.Equal(153, new SealStore(_fixture.Database).Count());
    }

    [Fact]
    public void A_tag_sealed_twice_in_one_group_commit_keeps_the_first_and_refuses_the_second()
    {
        var writer = new IngestionWriter(_fixture.Database);

        var outcome = writer.Commit([_fixture.SealUnit(20), _fixture.SealUnit(20, eventId: "ev-other")]);

        Assert.Equal(1, outcome.SealsStored);
        Assert.Equal(1, outcome.DeadLettersByReason["conflict"]);
        Assert.Contains("already sealed by event ev-00020", Assert.Single(new DeadLetterStore(_fixture.Database).List("conflict")).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_nfc_chip_bound_to_one_bottle_is_refused_for_another_in_the_same_commit_and_in_a_later_one()
    {
        var writer = new IngestionWriter(_fixture.Database);
        IngestionUnit WithChip(int i, string uid)
        {
            var unit = _fixture.SealUnit(i);
            unit.Seals[0] = unit.Seals[0] with { NfcUid = uid };
            return unit;
        }

        var first = writer.Commit([WithChip(30, "04A1B2C3D4E5F6"), WithChip(31, "04A1B2C3D4E5F6"), WithChip(32, "04FFFFFFFFFFFF")]);
        var later = writer.Commit([WithChip(33, "04FFFFFFFFFFFF")]);

        Assert.Equal(2, first.SealsStored);
        Assert.Equal(1, first.DeadLettersByReason["conflict"]);
        Assert.Equal(0, later.SealsStored);
        Assert.Equal(1, later.DeadLettersByReason["conflict"]);
        var reasons = new DeadLetterStore(_fixture.Database).List("conflict").Select(l => l.Reason).ToList();
        Assert.Contains(reasons, r => r.Contains("NFC chip 04A1B2C3D4E5F6 is already bound to tag 09506000134352/SER00030 by event ev-00030", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("NFC chip 04FFFFFFFFFFFF is already bound to tag 09506000134352/SER00032 by event ev-00032", StringComparison.Ordinal));
        Assert.Null(new SealStore(_fixture.Database).FindByTag("09506000134352", "SER00031"));
    }

    [Fact]
    public void A_fix_journaled_once_is_absorbed_when_it_comes_again_in_the_same_commit_or_later()
    {
        var writer = new IngestionWriter(_fixture.Database);
        IngestionUnit Fixes(params string[] ids)
        {
            var unit = new IngestionUnit { Topic = "prov/v1/s1/g1/gnss", GatewayId = "g1", SourceGatewayId = "g1", Jws = "h.p.s" };
            unit.Fixes.AddRange(ids.Select(id => new FixToStore(id, "{}")));
            return unit;
        }

        var first = writer.Commit([Fixes("fix-1", "fix-2"), Fixes("fix-2", "fix-3")]);
        var later = writer.Commit([Fixes("fix-3", "fix-4")]);

        Assert.Equal((3, 1), (first.FixesStored, first.Duplicates));
        Assert.Equal((1, 1), (later.FixesStored, later.Duplicates));
        Assert.Equal(["fix-1", "fix-2", "fix-3", "fix-4"], new JournalStore(_fixture.Database).ReadAfter(0, 100, JournalEntry.FixKind).Select(e => e.EventId));
    }

    [Fact]
    public void A_dead_letter_whose_event_id_and_reason_hold_a_nul_character_is_stored_with_its_bytes_unchanged()
    {
        // PostgreSQL refuses NUL in text: were the letter unstorable, the gateway's message would never be acknowledged.
        var writer = new IngestionWriter(_fixture.Database);
        var bytes = "{\"eventId\":\"ev\u0000x\"}"u8.ToArray();

        writer.AddDeadLetters([new DeadLetter("prov/v1/s1/g1/seal", "malformed", "event id ev\0x is not printable", "ev\0x", bytes)]);

        var letter = Assert.Single(new DeadLetterStore(_fixture.Database).List("malformed"));
        Assert.Equal("event id ev\uFFFDx is not printable", letter.Reason);
        Assert.Equal("ev\uFFFDx", letter.EventId);
        Assert.Equal(bytes, letter.Payload);
    }
}
