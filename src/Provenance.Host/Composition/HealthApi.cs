using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Api;
using Provenance.Api.Http;
using Provenance.Api.Security;
using Provenance.Ingestion;
using Provenance.Ingestion.Sinks;
using Provenance.Storage;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Composition;

/// <summary>
/// Health endpoints: <c>/health/live</c> (the process answers) and <c>/health/ready</c> (the database answers) for
/// anyone (probes); <c>/health</c> (details) on the management listener or for admin keys.
/// </summary>
internal static class HealthApi
{
    public static void MapHealthApi(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new HealthStatus("ok")))
            .AllowAnonymous()
            .WithName("Live").WithSummary("Liveness: the process is up.");
        app.MapGet("/health/ready", Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>> (JournalStore journal) =>
            {
                try
                {
                    journal.Head();
                    return TypedResults.Ok(new HealthStatus("ok"));
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    return TypedResults.Json(new HealthStatus($"database unavailable: {e.Message}"), statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            })
            .AllowAnonymous()
            .WithName("Ready").WithSummary("Readiness: the database answers.");
        app.MapGet("/health", (JournalStore journal, DeadLetterStore deadLetters, IngestionMetrics metrics, IngestionPipeline pipeline, LedgerSink ledgerSink, ILedgerEngine ledger,
                ConnectionGate connections, ScanHistoryQuota scanHistory, IServiceProvider services) =>
                TypedResults.Ok(new HealthDetails(
                    "ok",
                    new JournalHealth(journal.Head(), Lags(journal, services)),
                    new IngestionHealth(metrics.MessagesTotal, metrics.SealsTotal, metrics.FixesTotal, metrics.DuplicatesTotal, pipeline.PendingCount),
                    new LedgerHealth(ledger.Name, ledgerSink.Retries),
                    deadLetters.CountByReason(),
                    new HttpHealth(connections.PublicOpen, connections.PublicLimit, connections.FileLimit),
                    scanHistory.Status)))
            .RequireAuthorization(ApiPolicies.Management)
            .WithName("Health").WithSummary("Details: journal depth, sink lag, ingestion counters, dead letters by reason, HTTP connections, scan history quota (management listener or admin key).");
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

internal sealed record HealthStatus(string Status);

internal sealed record HealthDetails(
    string Status, JournalHealth Journal, IngestionHealth Ingestion, LedgerHealth Ledger, IReadOnlyDictionary<string, long> DeadLetters, HttpHealth Http, ScanHistoryStatus ScanHistory);

internal sealed record HttpHealth(int OpenConnections, int ConnectionLimit, long? FileLimit);

internal sealed record JournalHealth(long Head, IReadOnlyDictionary<string, long> Lag);

internal sealed record IngestionHealth(long Messages, long Seals, long Fixes, long Duplicates, int Unacknowledged);

internal sealed record LedgerHealth(string Engine, long Retries);
