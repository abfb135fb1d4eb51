using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provenance.Core.Verdicts;
using Provenance.Storage;

namespace Provenance.Api.Tests;

/// <summary>The scan read model on a real SQLite database: what it keeps, what drops it, and its bound.</summary>
public sealed class BottleReadModelTests : IDisposable
{
    private const string Gtin = "09506000134352";

    private readonly string _dir = Directory.CreateTempSubdirectory("prov-readmodel-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ProvenanceDatabase _database;
    private readonly ApiMetrics _metrics;

    public BottleReadModelTests()
    {
        _database = TestStorage.Open(_dir);
        _metrics = new ApiMetrics(_services.GetRequiredService<IMeterFactory>());
    }

    [Fact]
    public void A_settled_bottle_is_loaded_once_and_then_answered_from_memory_with_the_scans_recorded_since()
    {
        using var model = NewModel(100);
        var loads = 0;
        TagSituation Load() { loads++; return Situation("S1"); }

        model.Get(Gtin, "S1", Load, _ => true);
        model.Recorded(new ScanRecord(Gtin, "S1", DateTimeOffset.UtcNow, "authentic", null, null, "none", "x"));
        var again = model.Get(Gtin, "S1", Load, _ => true);

        Assert.Equal(1, loads);
        Assert.Single(again.History);
        Assert.Equal("authentic", again.LastVerdict);
    }

    [Fact]
    public void A_bottle_that_is_not_settled_is_read_from_the_database_every_time()
    {
        using var model = NewModel(100);
        var loads = 0;

        model.Get(Gtin, "S1", () => { loads++; return Situation("S1"); }, _ => false);
        model.Get(Gtin, "S1", () => { loads++; return Situation("S1"); }, _ => false);

        Assert.Equal(2, loads);
        Assert.Equal(0, model.Count);
    }

    [Fact]
    public void A_recall_void_or_opening_committed_through_the_stores_drops_the_bottle_and_a_lot_recall_drops_every_bottle()
    {
        using var model = NewModel(100);
        foreach (var serial in new[] { "S1", "S2", "S3" })
        {
            model.Get(Gtin, serial, () => Situation(serial), _ => true);
        }

        new TagEventStore(_database).Add([new TagEvent(TagEventStore.Voided, Gtin, "S1", null, DateTimeOffset.UtcNow, "misprint", null)]);
        Assert.Equal(2, model.Count);

        new TagEventStore(_database).Add([new TagEvent(TagEventStore.Recalled, Gtin, null, "L1", DateTimeOffset.UtcNow, "glass", null)]);
        Assert.Equal(0, model.Count);
    }

    [Fact]
    public void A_load_that_raced_with_a_committed_change_is_answered_but_not_kept()
    {
        using var model = NewModel(100);
        var loads = 0;
        TagSituation LoadWhileRecalled()
        {
            loads++;
            if (loads == 1)
            {
                // The recall commits after this load read the bottle and before it is kept.
                new TagEventStore(_database).Add([new TagEvent(TagEventStore.Recalled, Gtin, "S1", null, DateTimeOffset.UtcNow, "returned", null)]);
            }

            return Situation("S1");
        }

        model.Get(Gtin, "S1", LoadWhileRecalled, _ => true);
        model.Get(Gtin, "S1", LoadWhileRecalled, _ => true);

        Assert.Equal(2, loads);
    }

    [Fact]
    public void The_read_model_keeps_at_most_its_configured_number_of_bottles()
    {
        using var model = NewModel(50);

        for (var i = 0; i < 500; i++)
        {
            model.Get(Gtin, $"S{i}", () => Situation($"S{i}"), _ => true);
        }

        Assert.InRange(model.Count, 1, 50);
    }

    [Fact]
    public void Trimming_drops_the_least_recently_used_bottles_and_keeps_the_ones_scanned_since()
    {
        using var model = NewModel(100);
        var loads = new Dictionary<string, int>();
        TagSituation Get(string serial)
        {
            return model.Get(Gtin, serial, () => { loads[serial] = loads.GetValueOrDefault(serial) + 1; return Situation(serial); }, _ => true);
        }

        for (var i = 0; i < 100; i++)
        {
            Get($"S{i}");
        }

        for (var i = 0; i < 20; i++)
        {
            Get($"S{i}"); // scanned again: now more recently used than S20..S99
        }

        Get("S100"); // 101 held: trimmed to 90, dropping the eleven used longest ago (S20..S30)

        Assert.Equal(90, model.Count);
        for (var i = 0; i < 20; i++)
        {
            Get($"S{i}");
        }

        Get("S100");
        Get("S31");
        Assert.All(Enumerable.Range(0, 20).Select(i => $"S{i}").Append("S100").Append("S31"), s => Assert.Equal(1, loads[s]));
        Get("S20");
        Get("S30");
        Assert.Equal(2, loads["S20"]);
        Assert.Equal(2, loads["S30"]);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private BottleReadModel NewModel(int max) =>
        new(_database, Options.Create(new ScanReadModelOptions { MaxBottles = max }), _metrics, TimeProvider.System);

    private static TagSituation Situation(string serial) =>
        new(new IssuedTag(Gtin, serial, "L1", 1, "issued", "Baijiu", "Brand"), null, new TagFacts(true, true), [], null, null);
}
