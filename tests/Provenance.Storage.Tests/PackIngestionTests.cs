using Provenance.Core.Packaging;
using Provenance.Storage.Ingestion;
using Provenance.Storage.Packaging;

namespace Provenance.Storage.Tests;

/// <summary>Pack events in ingestion's group commit: idempotent by event id, refused ones dead-lettered without holding back the rest.</summary>
public sealed class PackIngestionTests : IDisposable
{
    private const string Gtin = "09506000134352";
    private const string CaseA = "/00/106141411234567897", CaseB = "/00/106141411234000011";
    private readonly LedgerFixture _fixture = new(seals: 0);

    public PackIngestionTests() =>
        LedgerFixture.Tamper(_fixture.Database,
            "INSERT INTO products (gtin, name, brand, created_at) VALUES ($g, 'P', 'B', '2026-12-01T00:00:00Z'); " +
            "INSERT INTO batches (id, gtin, lot, count, created_at) VALUES (1, $g, 'L1', 3, '2026-12-01T00:00:00Z'); " +
            "INSERT INTO tags (gtin, serial, lot, batch_id) VALUES ($g, 'B1', 'L1', 1), ($g, 'B2', 'L1', 1), ($g, 'B3', 'L1', 1)", ("$g", Gtin));

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_redelivered_pack_event_is_absorbed_and_its_id_reused_for_other_content_is_a_conflict()
    {
        var writer = new IngestionWriter(_fixture.Database);
        var first = writer.Commit([Unit(Pack("pk-1", CaseA, "B1", "B2"))]);

        var again = writer.Commit([Unit(Pack("pk-1", CaseA, "B1", "B2"))]);
        var reused = writer.Commit([Unit(Pack("pk-1", CaseB, "B3"))]);

        Assert.Equal((1, 0), (first.PacksStored, first.Duplicates));
        Assert.Equal((0, 1), (again.PacksStored, again.Duplicates));
        Assert.Equal(1, reused.DeadLettersByReason["conflict"]);
        Assert.Null(new ContainerStore(_fixture.Database).Find(CaseB));
        Assert.Equal(2, new ContainerStore(_fixture.Database).ResolveBottles(CaseA).Count);
    }

    [Fact]
    public void A_pack_event_the_rules_refuse_is_dead_lettered_and_the_rest_of_the_group_commit_is_stored()
    {
        var writer = new IngestionWriter(_fixture.Database);
        writer.Commit([Unit(Pack("pk-a", CaseA, "B1"))]);

        var outcome = writer.Commit([Unit(Pack("pk-b", CaseB, "B1", "B2")), Unit(Pack("pk-c", CaseB, "B3"))]);

        Assert.Equal(1, outcome.PacksStored);
        var letter = Assert.Single(new DeadLetterStore(_fixture.Database).List("conflict"));
        Assert.Contains($"already in {CaseA}", letter.Reason, StringComparison.Ordinal);
        Assert.Equal("pk-b", letter.EventId);
        Assert.Equal([new TagKey(Gtin, "B3")], new ContainerStore(_fixture.Database).ResolveBottles(CaseB));
        Assert.Equal([new TagKey(Gtin, "B1")], new ContainerStore(_fixture.Database).ResolveBottles(CaseA));
    }

    private static PackToStore Pack(string eventId, string code, params string[] serials) =>
        new(eventId, new ContainerPacking(code, PackagingLevel.Case, [.. serials.Select(s => new TagKey(Gtin, s))], []), $"{{\"eventId\":\"{eventId}\",\"container\":\"{code}\",\"bottles\":\"{string.Join(',', serials)}\"}}");

    private static IngestionUnit Unit(PackToStore pack)
    {
        var unit = new IngestionUnit { Topic = "prov/v1/s1/g1/pack", GatewayId = "g1", SourceGatewayId = "g1", Jws = "header.payload.signature", RawMessage = "header.payload.signature"u8.ToArray() };
        unit.Packs.Add(pack);
        return unit;
    }
}
