using Provenance.Engines.Tests.Support;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>Issue item 1: every accepted fix and seal is in a real InfluxDB exactly once, counted with InfluxQL.</summary>
public sealed class InfluxExactlyOnceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_stored_seal_and_fix_appears_in_InfluxDB_exactly_once()
    {
        const int Seals = 2000;
        await using var rig = await EngineRig.StartAsync(Seals, withInflux: true);
        await using var ingestion = rig.Instance("ingest-1");
        await ingestion.StartAsync();

        var result = await Simulation.RunAsync(rig.SimulatorOptions(rate: 500), TimeSpan.FromMinutes(2));
        var health = await ingestion.WaitForDrainedAsync(TimeSpan.FromMinutes(1));

        var stored = HostDatabase.SealEventIds(rig.DataDirectory);
        var fixes = HostDatabase.FixCount(rig.DataDirectory);
        var influxSeals = await rig.Influx!.StringFieldAsync("seal", "event_id");
        var influxSealCount = await rig.Influx.ScalarAsync("SELECT count(event_id) FROM seal");
        var influxFixCount = await rig.Influx.ScalarAsync("SELECT count(lat) FROM gnss_fix");
        var figures = StreamFigures.Of("influx seal", Seals, rig.AcknowledgedEventIds(), influxSeals);
        figures.WriteTo(output);
        output.WriteLine($"host: {stored.Count} seals, {fixes} fixes stored (health: {health.GetProperty("ingestion")}); InfluxDB: count(event_id) {influxSealCount}, count(lat) {influxFixCount}; simulator: {result.SealsAcked} seals acknowledged");

        figures.AssertExactlyOnce();
        Assert.Equal(Seals, stored.Count);
        Assert.Equal(stored.Count, influxSealCount);
        Assert.Equal(stored.Order(StringComparer.Ordinal), influxSeals.Order(StringComparer.Ordinal));
        Assert.True(fixes > 0, "no fixes were stored");
        Assert.Equal(fixes, influxFixCount);
        Assert.Equal(stored.Count, health.GetProperty("ingestion").GetProperty("seals").GetInt64());
        Assert.Equal(fixes, health.GetProperty("ingestion").GetProperty("fixes").GetInt64());
    }
}
