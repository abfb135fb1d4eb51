using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Ingestion;
using Provenance.Ingestion.Broker;
using Provenance.Ingestion.Sinks;
using Provenance.Storage;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Composition;

/// <summary>Health endpoints: <c>/health/live</c> (the process answers), <c>/health/ready</c> (the database answers), <c>/health</c> (details).</summary>
internal static class HealthApi
{
    public static void MapHealthApi(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new HealthStatus("ok")))
            .WithName("Live").WithSummary("Liveness: the process is up.");
        app.MapGet("/health/ready", Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>> (JournalStore journal, DeadLetterStore deadLetters) =>
            {
                try
                {
                    journal.Head();
                    // Near its quota the dead-letter store prunes its oldest letters: worth a warning, not unreadiness.
                    var quota = deadLetters.QuotaStatus();
                    return TypedResults.Ok(new HealthStatus("ok", quota.IsNearQuota ? [quota.Describe()] : null));
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    return TypedResults.Json(new HealthStatus($"database unavailable: {e.Message}"), statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            })
            .WithName("Ready").WithSummary("Readiness: the database answers.");
        app.MapGet("/health", (JournalStore journal, DeadLetterStore deadLetters, IngestionMetrics metrics, IngestionPipeline pipeline, LedgerSink ledgerSink, ILedgerEngine ledger, IServiceProvider services) =>
                TypedResults.Ok(new HealthDetails(
                    "ok",
                    new JournalHealth(journal.Head(), Lags(journal, services)),
                    new IngestionHealth(metrics.MessagesTotal, metrics.SealsTotal, metrics.FixesTotal, metrics.DuplicatesTotal, pipeline.PendingCount),
                    new LedgerHealth(ledger.Name, ledgerSink.Retries),
                    deadLetters.CountByReason(),
                    deadLetters.QuotaStatus(),
                    services.GetService<EmbeddedBroker>() is { } broker ? new BrokerHealth(broker.OpenConnections, broker.RefusedConnections) : null)))
            .WithName("Health").WithSummary("Details: journal depth, sink lag, ingestion counters, dead letters by reason.");
    }

    private static Dictionary<string, long> Lags(JournalStore journal, IServiceProvider services)
    {
        var lags = new Dictionary<string, long> { [EmbeddedLedger.SinkName] = journal.Lag(EmbeddedLedger.SinkName) };
        if (services.GetService<TimeSeriesSink>() is not null)
        {
            lags[TimeSeriesSink.SinkName] = journal.Lag(TimeSeriesSink.SinkName);
        }

        return lags;
    }
}

internal sealed record HealthStatus(string Status, IReadOnlyList<string>? Warnings = null);

internal sealed record HealthDetails(
    string Status, JournalHealth Journal, IngestionHealth Ingestion, LedgerHealth Ledger, IReadOnlyDictionary<string, long> DeadLetters, DeadLetterQuotaStatus DeadLetterStore, BrokerHealth? Broker);

internal sealed record BrokerHealth(int Connections, long Refused);

internal sealed record JournalHealth(long Head, IReadOnlyDictionary<string, long> Lag);

internal sealed record IngestionHealth(long Messages, long Seals, long Fixes, long Duplicates, int Unacknowledged);

internal sealed record LedgerHealth(string Engine, long Retries);
