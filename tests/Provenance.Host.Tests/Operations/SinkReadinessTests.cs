using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Host.Composition.Readiness;
using Provenance.Ingestion.Sinks;
using Provenance.Storage;
using Provenance.Storage.Journal;

namespace Provenance.Host.Tests.Operations;

/// <summary>
/// A sink's readiness in a process that stands by for it: the failure it had while it led (before a database outage,
/// say) no longer makes the process degraded or unready once another process leads the sink. A process that does not
/// know yet whether another one leads (electing) says so rather than claiming standby; its lag still counts.
/// </summary>
public sealed class SinkReadinessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("prov-sink-ready-").FullName;

    [Fact]
    public async Task A_failure_from_when_the_process_led_the_sink_counts_only_while_it_leads()
    {
        var journal = new JournalStore(TestStorage.Open(_directory));
        var status = new SinkStatus(TimeProvider.System);
        status.Failed("embedded ledger append failed: Failed to connect to 127.0.0.1:5432");
        var options = new ReadinessOptions { SinkFailureGrace = TimeSpan.Zero };
        var leading = true;
        var check = new SinkReadiness("ledger", status, journal, options, TimeProvider.System) { Leader = () => leading ? LeaderState.Leading : LeaderState.Standby };
        await Task.Delay(10);

        var whileLeading = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, whileLeading.Status);
        Assert.Contains("Failed to connect", whileLeading.Description, StringComparison.Ordinal);

        leading = false;
        var standingBy = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, standingBy.Status);
        Assert.StartsWith("standby (another process runs this sink)", standingBy.Description, StringComparison.Ordinal);

    }

    [Fact]
    public async Task A_process_still_electing_says_so_and_its_lag_still_counts()
    {
        var database = TestStorage.Open(_directory);
        var journal = new JournalStore(database);
        var status = new SinkStatus(TimeProvider.System);
        status.Failed("embedded ledger append failed: Failed to connect to 127.0.0.1:5432");
        var options = new ReadinessOptions { SinkFailureGrace = TimeSpan.Zero, MaxSinkLag = 0 };
        var check = new SinkReadiness("ledger", status, journal, options, TimeProvider.System) { Leader = () => LeaderState.Electing };
        await Task.Delay(10);

        var upToDate = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, upToDate.Status);
        Assert.Equal("electing (whether this process runs this sink is not known yet); up to date", upToDate.Description);

        new ScanStore(database).Add([new ScanRecord("09506000134352", "S1", DateTimeOffset.UtcNow, "authentic", null, null, "none", "x")]);
        var behind = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, behind.Status);
        Assert.StartsWith("too far behind: electing (whether this process runs this sink is not known yet); 1 journal entries waiting", behind.Description, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
