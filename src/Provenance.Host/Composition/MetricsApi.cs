using System.Diagnostics.Metrics;
using Provenance.Api.Security;
using Provenance.Ingestion;
using Provenance.Ingestion.Broker;
using Provenance.Ingestion.Sinks;
using Provenance.Storage;
using Provenance.Storage.Epcis;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Composition;

/// <summary>
/// <c>GET /metrics</c>: OpenTelemetry's Prometheus exporter over the meters <see cref="Telemetry"/> collects, plus the
/// observable instruments of the durable state on meter <c>Provenance.Ingestion</c>: journal head and depth, each sink's
/// lag and retries, dead letters by reason. Behind the management policy, like every operator endpoint.
/// </summary>
internal static class MetricsApi
{
    public static IServiceCollection AddMetricsApi(this IServiceCollection services, IConfiguration configuration) =>
        services.AddTelemetry(configuration).AddHostedService(sp => new StateInstruments(sp));

    public static void MapMetricsApi(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint("/metrics")
            // The exporter maps every method; a scrape is a GET, and any other method is no route here (405).
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .RequireAuthorization(ApiPolicies.Management)
            .WithName("Metrics").WithSummary("Prometheus scrape: counters, gauges and histograms of ingestion, sinks and journal.");

    /// <summary>
    /// Registers the journal, sink and dead-letter gauges when the host starts — after configuration validation, so a
    /// bad setting is reported by ValidateOnStart with its message rather than while the endpoints are mapped.
    /// </summary>
    private sealed class StateInstruments(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            RegisterStateInstruments(services);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static void RegisterStateInstruments(IServiceProvider services)
    {
        var meter = services.GetRequiredService<IngestionMetrics>().Meter;
        var journal = services.GetRequiredService<JournalStore>();
        var deadLetters = services.GetRequiredService<DeadLetterStore>();
        var ledgerSink = services.GetRequiredService<LedgerSink>();
        var ledgerCursor = services.GetRequiredService<ILedgerEngine>().CursorName;
        var timeSeriesSink = services.GetService<TimeSeriesSink>();
        var epcis = services.GetService<EpcisEventStore>() is not null;

        IEnumerable<Measurement<long>> Lags()
        {
            yield return new Measurement<long>(journal.Lag(ledgerCursor), new KeyValuePair<string, object?>("sink", ledgerCursor));
            if (timeSeriesSink is not null)
            {
                yield return new Measurement<long>(journal.Lag(TimeSeriesSink.SinkName), new KeyValuePair<string, object?>("sink", TimeSeriesSink.SinkName));
            }

            if (epcis)
            {
                yield return new Measurement<long>(journal.Lag(EpcisEventStore.SinkName), new KeyValuePair<string, object?>("sink", EpcisEventStore.SinkName));
            }
        }

        IEnumerable<Measurement<long>> Retries()
        {
            yield return new Measurement<long>(ledgerSink.Retries, new KeyValuePair<string, object?>("sink", ledgerCursor));
            if (timeSeriesSink is not null)
            {
                yield return new Measurement<long>(timeSeriesSink.Retries, new KeyValuePair<string, object?>("sink", TimeSeriesSink.SinkName));
            }
        }

        meter.CreateObservableGauge("provenance.journal.head", journal.Head, "{entry}", "Position of the newest journal entry");
        meter.CreateObservableGauge("provenance.journal.depth", () => Lags().Max(l => l.Value), "{entry}", "Journal entries not yet taken by the slowest sink");
        meter.CreateObservableGauge("provenance.sink.lag", Lags, "{entry}", "Journal entries a sink has not yet taken, by sink");
        meter.CreateObservableCounter("provenance.sink.retries", Retries, "{retry}", "Sink attempts that failed and were retried, by sink");
        meter.CreateObservableGauge(
            "provenance.deadletters",
            () => deadLetters.CountByReason().Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("reason", r.Key))),
            "{message}",
            "Dead letters in the store, by reason (all time)");
        meter.CreateObservableGauge("provenance.deadletters.bytes", () => deadLetters.QuotaStatus().UsedBytes, "By", "Bytes the dead-letter store holds against DeadLetters:MaxTotalBytes");
        meter.CreateObservableCounter("provenance.deadletters.pruned", () => deadLetters.QuotaStatus().Pruned, "{message}", "Oldest dead-letter messages deleted to keep the store within its quotas");
        if (services.GetService<EmbeddedBroker>() is { } broker)
        {
            meter.CreateObservableGauge("provenance.broker.connections", () => broker.OpenConnections, "{connection}", "Connections open on the embedded broker's listeners");
            meter.CreateObservableCounter("provenance.broker.refused", () => broker.RefusedConnections, "{connection}", "Connections the embedded broker refused at its limits");
        }
    }
}
