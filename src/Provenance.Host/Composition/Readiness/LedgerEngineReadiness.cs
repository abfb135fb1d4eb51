using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Ingestion.Ledger;
using Provenance.Storage;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Composition.Readiness;

/// <summary>
/// Readiness of the ledger engine itself: unhealthy when it cannot make progress (a permanent failure such as access
/// denied, a missing chaincode or channel, an unregistered gateway, or a stall), with the engine's reason and what to
/// do; degraded while it retries a transient failure. In a process that stands by for the ledger sink (another process
/// leads it) the engine's state is from when it last led, so it does not count.
/// </summary>
internal sealed class LedgerEngineReadiness(LedgerStatus status, Leadership leadership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = status.Snapshot();
        var data = new Dictionary<string, object> { ["engine"] = health.Engine, ["failures"] = health.Failures };
        if (!leadership.IsLeading($"sink:{EmbeddedLedger.SinkName}"))
        {
            return Task.FromResult(HealthCheckResult.Healthy($"ledger {health.Engine}: standby (another process runs the ledger sink)", data));
        }

        if (health.Code is { } code)
        {
            data["code"] = code;
        }

        return Task.FromResult(health.State switch
        {
            LedgerHealthState.Failed => HealthCheckResult.Unhealthy($"ledger {health.Engine} failed: {health.Reason}", data: data),
            LedgerHealthState.Degraded => HealthCheckResult.Degraded($"ledger {health.Engine} retrying: {health.Reason}", data: data),
            _ => HealthCheckResult.Healthy($"ledger {health.Engine} making progress", data),
        });
    }
}
