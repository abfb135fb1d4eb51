using Provenance.Engines.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>Issue item 2: InfluxDB down for 30 s mid-stream; the journal holds the points and delivers each once afterwards.</summary>
public sealed class InfluxOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task InfluxDB_stopped_for_30_seconds_mid_stream_receives_every_point_once_and_the_journal_drains()
    {
        const int Seals = 4000;
        await using var rig = await EngineRig.StartAsync(Seals, withInflux: true);
        await using var ingestion = rig.Instance("ingest-1");
        await ingestion.StartAsync();
        long lagDuringOutage = 0;

        await rig.RunWithFaultAsync(rig.SimulatorOptions(rate: 100), faultAfterSeals: 300, async acked =>
        {
            await rig.Influx!.StopAsync();
            output.WriteLine($"InfluxDB stopped after {acked} acknowledged seals");
            var outage = Task.Delay(Outage);
            await outage;
            lagDuringOutage = (await ingestion.HealthAsync()).GetProperty("journal").GetProperty("lag").GetProperty("timeseries").GetInt64();
            await rig.Influx.StartAgainAsync();
            output.WriteLine($"InfluxDB started again after {Outage.TotalSeconds} s; time-series lag was {lagDuringOutage} journal entries");
        }, TimeSpan.FromMinutes(3));
        await rig.WaitForStoredSealsAsync(Seals, TimeSpan.FromMinutes(1));
        var health = await ingestion.WaitForDrainedAsync(TimeSpan.FromSeconds(90));

        var stored = HostDatabase.SealEventIds(rig.DataDirectory);
        var fixes = HostDatabase.FixCount(rig.DataDirectory);
        var influxSeals = await rig.Influx!.StringFieldAsync("seal", "event_id");
        var influxFixCount = await rig.Influx.ScalarAsync("SELECT count(lat) FROM gnss_fix");
        var figures = StreamFigures.Of("influx seal (30 s outage)", Seals, rig.AcknowledgedEventIds(), influxSeals);
        figures.WriteTo(output);
        output.WriteLine($"host: {stored.Count} seals, {fixes} fixes; InfluxDB: {influxSeals.Count} seals, {influxFixCount} fixes; journal after drain: {health.GetProperty("journal")}");

        Assert.True(lagDuringOutage > 0, "the journal did not grow while InfluxDB was down: the outage did not happen mid-stream");
        figures.AssertExactlyOnce();
        Assert.Equal(stored.Order(StringComparer.Ordinal), influxSeals.Order(StringComparer.Ordinal));
        Assert.Equal(fixes, influxFixCount);
        Assert.Equal(0, health.GetProperty("journal").GetProperty("lag").GetProperty("timeseries").GetInt64());
    }
}
