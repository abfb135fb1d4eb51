using Provenance.Storage.Ingestion;

namespace Provenance.Storage.Tests;

public sealed class SourceCheckpointTests : IDisposable
{
    private const string Source = "eventhubs:ns.servicebus.windows.net/hub/provenance";
    private readonly LedgerFixture _fixture = new(seals: 0);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_checkpoint_is_committed_with_the_message_it_covers()
    {
        var writer = new IngestionWriter(_fixture.Database);
        var unit = _fixture.SealUnit(1);
        unit.Checkpoint = new SourceCheckpoint(Source, "0", 41, "4100");

        writer.Commit([unit]);

        Assert.Equal(new SourceCheckpoint(Source, "0", 41, "4100"), new SourceCheckpointStore(_fixture.Database).Find(Source, "0"));
        Assert.True(new SealStore(_fixture.Database).ContainsEvent("ev-00001"));
    }

    [Fact]
    public void A_checkpoint_never_moves_back()
    {
        var writer = new IngestionWriter(_fixture.Database);
        var later = _fixture.SealUnit(2);
        later.Checkpoint = new SourceCheckpoint(Source, "1", 9, "900");
        var earlier = _fixture.SealUnit(3);
        earlier.Checkpoint = new SourceCheckpoint(Source, "1", 5, "500");

        writer.Commit([later]);
        writer.Commit([earlier]);

        Assert.Equal(9, new SourceCheckpointStore(_fixture.Database).Find(Source, "1")!.SequenceNumber);
    }

    [Fact]
    public void A_failed_commit_leaves_the_checkpoint_where_it_was()
    {
        var writer = new IngestionWriter(_fixture.Database);
        var first = _fixture.SealUnit(4);
        first.Checkpoint = new SourceCheckpoint(Source, "0", 1, "100");
        writer.Commit([first]);
        var broken = new IngestionUnit { Topic = "prov/v1/s1/g1/seal", GatewayId = "g1", Jws = null };
        broken.Seals.Add(_fixture.SealUnit(5).Seals[0] with { SealedAt = default, ContentHash = null! });
        broken.Checkpoint = new SourceCheckpoint(Source, "0", 2, "200");

        Assert.ThrowsAny<Exception>(() => writer.Commit([broken]));

        var store = new SourceCheckpointStore(_fixture.Database);
        Assert.Equal(1, store.Find(Source, "0")!.SequenceNumber);
        Assert.Equal([new SourceCheckpoint(Source, "0", 1, "100")], store.List(Source));
    }
}
