using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Provenance.Ingestion.EventHubs;

/// <summary>
/// Readiness of the Event Hubs source: unhealthy when a failure will not heal by retrying (refused key, untrusted
/// certificate, unknown hub or consumer group), naming it; degraded while it retries; healthy when every partition
/// reads.
/// </summary>
public sealed class EventHubsSourceHealthCheck(EventHubsSource source) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (problem, permanent) = source.Discovery;
        if (problem is not null)
        {
            return Task.FromResult(permanent
                ? HealthCheckResult.Unhealthy($"IoT Hub events ({source.SourceName}): {problem}")
                : HealthCheckResult.Degraded($"IoT Hub events ({source.SourceName}): {problem}"));
        }

        var failing = source.Partitions.Where(p => p.Problem is not null).ToList();
        if (failing.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"IoT Hub events ({source.SourceName}): {source.Partitions.Count} partition(s) reading"));
        }

        var description = $"IoT Hub events ({source.SourceName}): " + string.Join("; ", failing.Select(p => $"partition {p.Partition}: {p.Problem}"));
        return Task.FromResult(failing.Any(p => p.Permanent) ? HealthCheckResult.Unhealthy(description) : HealthCheckResult.Degraded(description));
    }
}
