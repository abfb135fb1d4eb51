using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Storage;

namespace Provenance.Host.Composition.Readiness;

/// <summary>
/// The dead-letter store near its quota prunes its oldest letters: worth a warning (degraded), never unreadiness,
/// since ingestion still commits everything it accepts.
/// </summary>
internal sealed class DeadLetterReadiness(DeadLetterStore deadLetters) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var quota = deadLetters.QuotaStatus();
            return Task.FromResult(quota.IsNearQuota ? HealthCheckResult.Degraded(quota.Describe()) : HealthCheckResult.Healthy(quota.Describe()));
        }
        catch (Exception e) when (StorageErrors.IsUnavailable(e))
        {
            return Task.FromResult(HealthCheckResult.Degraded($"cannot read the dead-letter store: the database is unavailable ({e.Message})"));
        }
    }
}
