using Provenance.Engines.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>Issue item 4: ingestion (external-broker mode) SIGKILLed mid-stream and restarted with the same client id.</summary>
public sealed class IngestionKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ingestion_killed_mid_stream_and_restarted_with_the_same_client_id_loses_and_duplicates_nothing()
    {
        const int Seals = 3000;
        await using var rig = await EngineRig.StartAsync(Seals, withInflux: true);
        await using var ingestion = rig.Instance("ingest-1");
        await ingestion.StartAsync();
        long storedAtKill = 0;

        await rig.RunWithFaultAsync(rig.SimulatorOptions(rate: 300), faultAfterSeals: 1000, async acked =>
        {
            ingestion.Kill();
            storedAtKill = HostDatabase.SealEventIds(rig.DataDirectory).Count;
            output.WriteLine($"ingestion SIGKILLed after {acked} seals acknowledged by mosquitto, {storedAtKill} stored");
            await ingestion.StartAsync();
        }, TimeSpan.FromMinutes(2));
        await rig.WaitForStoredSealsAsync(Seals, TimeSpan.FromMinutes(1));
        var health = await ingestion.WaitForDrainedAsync(TimeSpan.FromMinutes(1));

        var acknowledged = rig.AcknowledgedEventIds();
        var stored = HostDatabase.SealEventIds(rig.DataDirectory);
        var seals = StreamFigures.Of("seals table (ingestion kill)", Seals, acknowledged, stored);
        var ledger = StreamFigures.Of("ledger (ingestion kill)", Seals, acknowledged, HostDatabase.LedgerEventIds(rig.DataDirectory));
        var series = StreamFigures.Of("influx seal (ingestion kill)", Seals, acknowledged, await rig.Influx!.StringFieldAsync("seal", "event_id"));
        var influxCount = await rig.Influx.ScalarAsync("SELECT count(event_id) FROM seal");
        var fixes = HostDatabase.FixCount(rig.DataDirectory);
        var influxFixes = await rig.Influx.ScalarAsync("SELECT count(lat) FROM gnss_fix");
        seals.WriteTo(output);
        ledger.WriteTo(output);
        series.WriteTo(output);
        output.WriteLine($"InfluxQL count(event_id) {influxCount}, count(lat) {influxFixes} vs {fixes} fixes stored; redeliveries absorbed after the restart: {health.GetProperty("ingestion").GetProperty("duplicates")}");

        Assert.True(storedAtKill < Seals, "the kill came after everything was stored: it was not mid-stream");
        seals.AssertExactlyOnce();
        ledger.AssertExactlyOnce();
        series.AssertExactlyOnce();
        Assert.Equal(stored.Count, influxCount);
        Assert.Equal(fixes, influxFixes);
        var verify = await rig.Node.CliAsync("ledger", "verify");
        Assert.Contains("ledger intact", verify, StringComparison.Ordinal);
    }
}
