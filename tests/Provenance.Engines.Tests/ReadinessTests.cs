using Provenance.Engines.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// Issue 21 item 9 / issue 17: <c>/health/ready</c> fails with the reason while a dependency is down — mosquitto
/// stopped, then influxd stopped — and recovers when it comes back.
/// </summary>
public sealed class ReadinessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Readiness_fails_naming_the_broker_while_mosquitto_is_down_and_InfluxDB_while_influxd_is_down()
    {
        await using var rig = await EngineRig.StartAsync(10, withInflux: true);
        await using var ingestion = rig.PlainInstance("ingest-1", "--Health:SinkFailureGrace=00:00:01");
        await ingestion.StartAsync();
        var ready = await ingestion.WaitForReadinessAsync(200, Limit);
        output.WriteLine($"all up: {ready}");

        await rig.Broker.StopAsync();
        var brokerDown = await ingestion.WaitForReadinessAsync(503, Limit);
        output.WriteLine($"mosquitto stopped: {brokerDown}");
        await rig.Broker.StartAgainAsync();
        await ingestion.WaitForReadinessAsync(200, Limit);

        await rig.Influx!.StopAsync();
        var influxDown = await ingestion.WaitForReadinessAsync(503, Limit);
        output.WriteLine($"influxd stopped: {influxDown}");
        await rig.Influx.StartAgainAsync();
        var again = await ingestion.WaitForReadinessAsync(200, Limit);
        output.WriteLine($"influxd started again: {again}");

        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("sink:timeseries").GetProperty("status").GetString());
        var broker = brokerDown.GetProperty("checks").GetProperty("broker");
        Assert.Equal("unhealthy", broker.GetProperty("status").GetString());
        Assert.Contains($"127.0.0.1:{rig.Broker.Port}", broker.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy", brokerDown.GetProperty("checks").GetProperty("sink:timeseries").GetProperty("status").GetString());
        var influx = influxDown.GetProperty("checks").GetProperty("sink:timeseries");
        Assert.Equal("unhealthy", influx.GetProperty("status").GetString());
        Assert.Contains($"InfluxDB {rig.Influx.Url}", influx.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy", influxDown.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
        Assert.Equal("healthy", again.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_names_the_credentials_when_the_broker_refuses_the_ingestion_user()
    {
        await using var rig = await EngineRig.StartAsync(1, withInflux: false);
        await using var ingestion = rig.PlainInstance("ingest-1", "--Mqtt:Password=not-the-password");
        await ingestion.StartAsync(untilReady: false);

        var refused = await ingestion.WaitForReadinessAsync(503, Limit);

        output.WriteLine(refused.ToString());
        var broker = refused.GetProperty("checks").GetProperty("broker").GetProperty("description").GetString();
        Assert.Contains("refused the connection", broker, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Username and Mqtt:Password", broker, StringComparison.Ordinal);
    }
}
