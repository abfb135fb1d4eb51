using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Host.Composition.Readiness;
using Provenance.Ingestion.Ledger;
using Provenance.Storage;

namespace Provenance.Host.Tests.Operations;

/// <summary>
/// The ledger engine's readiness: its own state while this process leads the ledger sink (healthy making progress,
/// unready on a permanent failure, degraded while retrying); while another process leads it (standby) or before this
/// one knows (electing) the engine does not run here, and the check says which.
/// </summary>
public sealed class LedgerEngineReadinessTests : IDisposable
{
    private readonly Meter _meter = new("test.ledger-engine-readiness");

    [Fact]
    public async Task A_leading_process_whose_engine_makes_progress_is_healthy()
    {
        var status = Status();
        status.Progressed();

        var result = await new LedgerEngineReadiness(status, () => LeaderState.Leading).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("ledger fabric making progress", result.Description);
        Assert.Equal("fabric", result.Data["engine"]);
    }

    [Fact]
    public async Task A_leading_process_whose_engine_failed_for_good_is_unready_with_the_reason_and_one_that_retries_is_degraded()
    {
        var status = Status();
        var check = new LedgerEngineReadiness(status, () => LeaderState.Leading);
        status.Failed(new TimeoutException("the orderer did not answer"));

        var retrying = await check.CheckHealthAsync(new HealthCheckContext());
        status.Failed(new LedgerUnavailableException("access_denied", "the gateway's identity may not submit to the channel"));
        var failed = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, retrying.Status);
        Assert.Equal("ledger fabric retrying: the orderer did not answer", retrying.Description);
        Assert.Equal(HealthStatus.Unhealthy, failed.Status);
        Assert.Equal("ledger fabric failed: the gateway's identity may not submit to the channel", failed.Description);
        Assert.Equal("access_denied", failed.Data["code"]);
        Assert.Equal(2L, failed.Data["failures"]);
    }

    [Fact]
    public async Task A_standby_process_is_healthy_whatever_its_engine_last_reported_and_says_another_process_runs_the_sink()
    {
        var status = Status();
        status.Failed(new LedgerUnavailableException("access_denied", "the gateway's identity may not submit to the channel"));

        var result = await new LedgerEngineReadiness(status, () => LeaderState.Standby).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("ledger fabric: standby (another process runs the ledger sink)", result.Description);
        Assert.False(result.Data.ContainsKey("code"));
    }

    [Fact]
    public async Task A_process_still_electing_is_healthy_and_says_it_does_not_know_yet_rather_than_standby()
    {
        var status = Status();
        status.Failed(new LedgerUnavailableException("access_denied", "the gateway's identity may not submit to the channel"));

        var result = await new LedgerEngineReadiness(status, () => LeaderState.Electing).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("ledger fabric: electing (whether this process runs the ledger sink is not known yet)", result.Description);
    }

    public void Dispose() => _meter.Dispose();

    private LedgerStatus Status() => new("fabric", _meter, TimeSpan.FromMinutes(2), TimeProvider.System);
}
