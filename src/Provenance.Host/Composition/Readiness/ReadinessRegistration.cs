using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Provenance.Ingestion.Ledger;
using Provenance.Ingestion.Sinks;
using Provenance.Storage;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Composition.Readiness;

/// <summary>
/// The readiness checks (<c>Microsoft.Extensions.Diagnostics.HealthChecks</c>) of the roles this process runs:
/// <c>database</c> always; <c>broker</c> for ingestion from an external broker; <c>sink:ledger</c> and
/// <c>sink:timeseries</c> (with InfluxDB's reachability) and <c>ledger-engine</c> (the engine's own state: a Fabric
/// permanent failure names its reason) for the sinks role. Another part adds its own check with
/// <c>services.AddHealthChecks().AddCheck(name, check, tags: [ReadinessRegistration.Tag])</c>; <c>/health/ready</c>
/// and <c>/health</c> report every check carrying <see cref="Tag"/>.
/// </summary>
internal static class ReadinessRegistration
{
    public const string Tag = "ready";

    public static IServiceCollection AddReadiness(this IServiceCollection services, IConfiguration configuration, NodeRoles roles, bool externalBroker, bool timeSeries)
    {
        services.AddOptions<ReadinessOptions>().Bind(configuration.GetSection(ReadinessOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ReadinessOptions>>().Value);
        var checks = services.AddHealthChecks()
            .Add(new HealthCheckRegistration("database", sp => ActivatorUtilities.CreateInstance<DatabaseReadiness>(sp), HealthStatus.Unhealthy, [Tag]));
        if (roles.HasFlag(NodeRoles.Ingestion))
        {
            checks.Add(new HealthCheckRegistration("dead-letters", sp => ActivatorUtilities.CreateInstance<DeadLetterReadiness>(sp), HealthStatus.Degraded, [Tag]));
        }

        if (roles.HasFlag(NodeRoles.Ingestion) && externalBroker)
        {
            checks.Add(new HealthCheckRegistration("broker", sp => ActivatorUtilities.CreateInstance<BrokerReadiness>(sp), HealthStatus.Unhealthy, [Tag]));
        }

        if (roles.HasFlag(NodeRoles.Sinks))
        {
            // The ledger sink's lag is read on the configured engine's own cursor (ledger, ledger-fabric).
            checks.Add(new HealthCheckRegistration($"sink:{EmbeddedLedger.SinkName}", sp => Sink(sp, $"sink:{EmbeddedLedger.SinkName}", sp.GetRequiredService<ILedgerEngine>().CursorName, sp.GetRequiredService<LedgerSink>().Status, null), HealthStatus.Unhealthy, [Tag]));
            checks.Add(new HealthCheckRegistration("ledger-engine", sp => new LedgerEngineReadiness(sp.GetRequiredService<LedgerStatus>(), Leader(sp, $"sink:{EmbeddedLedger.SinkName}")), HealthStatus.Unhealthy, [Tag]));
            if (timeSeries)
            {
                services.AddSingleton(sp => new InfluxProbe(sp.GetRequiredService<TimeSeriesSink>().Url!, sp.GetRequiredService<ReadinessOptions>(), sp.GetRequiredService<TimeProvider>()));
                checks.Add(new HealthCheckRegistration($"sink:{TimeSeriesSink.SinkName}", sp => Sink(sp, $"sink:{TimeSeriesSink.SinkName}", TimeSeriesSink.SinkName, sp.GetRequiredService<TimeSeriesSink>().Status, sp.GetRequiredService<InfluxProbe>().CheckAsync), HealthStatus.Unhealthy, [Tag]));
            }
        }

        return services;
    }

    /// <summary>The check of the sink that runs as <paramref name="work"/> (its leadership name) and reads <paramref name="cursor"/>.</summary>
    private static SinkReadiness Sink(IServiceProvider sp, string work, string cursor, SinkStatus status, Func<CancellationToken, Task<string?>>? probe) =>
        new(cursor, status, sp.GetRequiredService<JournalStore>(), sp.GetRequiredService<ReadinessOptions>(), sp.GetRequiredService<TimeProvider>(), probe)
        {
            Leader = Leader(sp, work),
        };

    /// <summary>Where this process stands on <paramref name="work"/>, asked at each check.</summary>
    private static Func<LeaderState> Leader(IServiceProvider sp, string work) => () => sp.GetRequiredService<Leadership>().State(work);
}
