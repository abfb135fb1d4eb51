using Provenance.Core.Registry;

namespace Provenance.Storage.Tests;

/// <summary>The scan's one-statement read gives exactly what the five stores it replaces give.</summary>
public sealed class BottleFactsStoreTests : IDisposable
{
    private const string Gtin = "09506000134352";

    private readonly LedgerFixture _fixture = new(seals: 3);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void One_statement_reads_the_tag_seal_with_proof_events_by_serial_and_lot_shipment_and_history_the_stores_read()
    {
        var db = _fixture.Database;
        new RegistryStore(db).AddProduct(new Product(Gtin, "Baijiu 53%", "Bench"));
        var tags = new TagStore(db);
        tags.AddTags(tags.CreateBatch(Gtin, "L1", 2), Gtin, "L1", ["SER00001", "SER00002"]);
        var events = new TagEventStore(db);
        var t0 = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        events.Add([new TagEvent(TagEventStore.Opened, Gtin, "SER00001", null, t0.AddHours(2), "bar", "retailer")]);
        events.Add([new TagEvent(TagEventStore.Recalled, Gtin, null, "L1", t0.AddHours(1), "glass", null)]);
        new DistributorStore(db).Add(new StoredDistributor("d1", "Dealer", "CN", "{\"polygons\":[]}", t0));
        var shipments = new ShipmentStore(db);
        shipments.CreateShipment("d1", "{\"polygons\":[]}", [new TagKey(Gtin, "SER00001")]);
        var scans = new ScanStore(db);
        scans.Add([.. Enumerable.Range(0, 5).Select(i => new ScanRecord(Gtin, "SER00001", t0.AddMinutes(5 - i), "authentic", 26.6, 106.6, "browser", $"sc{i}", "CN", 1000))]);

        using var store = new BottleFactsStore(db);
        var facts = store.Find(Gtin, "SER00001", historyLimit: 3);

        Assert.Equal(tags.Find(Gtin, "SER00001"), facts.Tag);
        Assert.Equivalent(new SealStore(db).FindByTag(Gtin, "SER00001"), facts.Seal, strict: true);
        Assert.NotNull(facts.Seal!.LedgerIndex);
        Assert.Equal(events.For(Gtin, "SER00001", "L1"), facts.Events);
        Assert.Equal(2, facts.Events.Count);
        Assert.Equal(shipments.FindForTag(Gtin, "SER00001"), facts.Shipment);
        Assert.Equal(scans.History(Gtin, "SER00001", 3), facts.History);
        Assert.Equal(3, facts.History.Count);
    }

    [Fact]
    public void A_bottle_never_issued_has_no_tag_no_seal_and_only_its_own_scans()
    {
        using var store = new BottleFactsStore(_fixture.Database);
        var facts = store.Find(Gtin, "NEVER");

        Assert.Null(facts.Tag);
        Assert.Null(facts.Seal);
        Assert.Null(facts.Shipment);
        Assert.Empty(facts.Events);
        Assert.Empty(facts.History);
    }
}
