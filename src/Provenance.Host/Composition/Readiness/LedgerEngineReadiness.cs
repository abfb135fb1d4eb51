using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Ingestion.Ledger;
using Provenance.Storage;

namespace Provenance.Host.Composition.Readiness;

/// <summary>
/// Readiness of the ledger engine itself: unhealthy when it cannot make progress (a permanent failure such as access
/// denied, a missing chaincode or channel, an unregistered gateway, or a stall), with the engine's reason and what to
/// do; degraded while it retries a transient failure. In a process that does not lead the ledger sink (standby, or
/// electing: see <see cref="SinkReadiness"/>) the engine does not run here, so its state does not count.
/// <paramref name="leader"/> says where this process stands on the ledger sink.
/// </summary>
internal sealed class LedgerEngineReadiness(LedgerStatus status, Func<LeaderState> leader) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = status.Snapshot();
        var data = new Dictionary<string, object> { ["engine"] = health.Engine, ["failures"] = health.Failures };
        if (leader() is not LeaderState.Leading and var state)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"ledger {health.Engine}: {SinkReadiness.Describe(state, "the ledger sink")}", data));
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
