using Provenance.Storage.Ingestion;

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
}
