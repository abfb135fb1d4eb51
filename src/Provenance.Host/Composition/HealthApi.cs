using Microsoft.AspNetCore.Http.HttpResults;
using Provenance.Ingestion;
using Provenance.Ingestion.Ledger;
using Provenance.Ingestion.Sinks;
using Provenance.Storage;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Composition;

/// <summary>
/// Health endpoints: <c>/health/live</c> (the process answers), <c>/health/ready</c> (the database answers and the
/// ledger engine is not failed), <c>/health</c> (details).
/// </summary>
internal static class HealthApi
{
    public static void MapHealthApi(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new HealthStatus("ok")))
            .WithName("Live").WithSummary("Liveness: the process is up.");
        app.MapGet("/health/ready", Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>> (JournalStore journal, LedgerStatus ledger) =>
            {
                try
                {
                    journal.Head();
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    return TypedResults.Json(new HealthStatus($"database unavailable: {e.Message}"), statusCode: StatusCodes.Status503ServiceUnavailable);
                }

                var health = ledger.Snapshot();
                return health.State == LedgerHealthState.Failed
                    ? TypedResults.Json(new HealthStatus($"ledger {health.Engine} failed: {health.Reason}"), statusCode: StatusCodes.Status503ServiceUnavailable)
                    : TypedResults.Ok(new HealthStatus("ok"));
            })
            .WithName("Ready").WithSummary("Readiness: the database answers and the ledger engine can make progress.");
        app.MapGet("/health", (JournalStore journal, DeadLetterStore deadLetters, IngestionMetrics metrics, IngestionPipeline pipeline, LedgerSink ledgerSink, LedgerStatus ledger, ILedgerEngine engine, IServiceProvider services) =>
            {
                var health = ledger.Snapshot();
                return TypedResults.Ok(new HealthDetails(
                    health.State == LedgerHealthState.Failed ? "failed" : "ok",
                    new JournalHealth(journal.Head(), Lags(journal, engine, services)),
                    new IngestionHealth(metrics.MessagesTotal, metrics.SealsTotal, metrics.FixesTotal, metrics.DuplicatesTotal, pipeline.PendingCount),
                    new LedgerDetails(health.Engine, health.StateName, health.Reason, health.Code, health.LastProgressAt, ledgerSink.Retries),
                    deadLetters.CountByReason()));
            })
            .WithName("Health").WithSummary("Details: journal depth, sink lag, ingestion counters, ledger engine state, dead letters by reason.");
    }

    private static Dictionary<string, long> Lags(JournalStore journal, ILedgerEngine engine, IServiceProvider services)
    {
        var lags = new Dictionary<string, long> { [engine.CursorName] = journal.Lag(engine.CursorName) };
        if (services.GetService<TimeSeriesSink>() is not null)
        {
            lags[TimeSeriesSink.SinkName] = journal.Lag(TimeSeriesSink.SinkName);
        }

        return lags;
    }
}

internal sealed record HealthStatus(string Status);

internal sealed record HealthDetails(string Status, JournalHealth Journal, IngestionHealth Ingestion, LedgerDetails Ledger, IReadOnlyDictionary<string, long> DeadLetters);

internal sealed record JournalHealth(long Head, IReadOnlyDictionary<string, long> Lag);

internal sealed record IngestionHealth(long Messages, long Seals, long Fixes, long Duplicates, int Unacknowledged);

/// <summary>The ledger engine: its state (<c>ok</c>, <c>degraded</c>, <c>failed</c>), why, and when it last made progress.</summary>
internal sealed record LedgerDetails(string Engine, string State, string? Reason, string? Code, DateTimeOffset? LastProgressAt, long Retries);
