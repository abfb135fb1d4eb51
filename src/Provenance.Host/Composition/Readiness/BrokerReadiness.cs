using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Ingestion.Broker;

namespace Provenance.Host.Composition.Readiness;

/// <summary>
/// Readiness of ingestion from an external broker: connected and subscribed. Not connected is unhealthy at once, with the
/// reason (refused, bad credentials, unreachable, refused subscription) — a process that cannot receive is not ready.
/// </summary>
internal sealed class BrokerReadiness(MqttSubscriber subscriber, ExternalBrokerOptions options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connection = subscriber.Connection;
        var since = (time.GetUtcNow() - connection.Since).TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        return Task.FromResult(connection.IsConnected
            ? HealthCheckResult.Healthy($"connected to {options.Host}:{options.Port} as {options.EffectiveClientId}, subscribed {options.SubscriptionFilter}")
            : HealthCheckResult.Unhealthy($"MQTT broker {options.Host}:{options.Port}: {connection.LastError} (for {since} s)"));
    }
}
