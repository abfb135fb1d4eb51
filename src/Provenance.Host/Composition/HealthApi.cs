using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Host.Composition.Readiness;
using Provenance.Api;
using Provenance.Api.Http;
using Provenance.Api.Security;
using Provenance.Ingestion;
using Provenance.Ingestion.Ledger;
using Provenance.Ingestion.Broker;
using Provenance.Ingestion.Sinks;
using Provenance.Storage;
using Provenance.Storage.Epcis;
using Provenance.Storage.Journal;
using Provenance.Storage.Ledger;

namespace Provenance.Host.Composition;

/// <summary>
/// Health endpoints: <c>/health/live</c> (the process answers), <c>/health/ready</c> (every readiness check of
/// <see cref="ReadinessRegistration"/>: 200 when healthy or degraded, 503 with each failing check's reason otherwise) and
/// <c>/health</c> (the same checks plus journal, ingestion and dead-letter figures; 503 with the checks and which work this
/// instance leads while the database is unavailable). Probes are anonymous;
/// <c>/health</c> is served on the management listener or to admin keys.
/// </summary>
internal static class HealthApi
{
    public static void MapHealthApi(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new HealthStatusAnswer("ok")))
            .AllowAnonymous()
            .WithName("Live").WithSummary("Liveness: the process is up.");
        app.MapGet("/health/ready", async Task<Results<Ok<ReadinessAnswer>, JsonHttpResult<ReadinessAnswer>>> (HealthCheckService health, CancellationToken cancellationToken) =>
            {
                var answer = ReadinessAnswer.From(await health.CheckHealthAsync(r => r.Tags.Contains(ReadinessRegistration.Tag), cancellationToken).ConfigureAwait(false));
                return answer.Status == "unhealthy"
                    ? TypedResults.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable)
                    : TypedResults.Ok(answer);
            })
            .AllowAnonymous()
            .WithName("Ready").WithSummary("Readiness: database, broker connection, each sink's progress and its server; 503 names what fails.");
        app.MapGet("/health", async Task<Results<Ok<HealthDetails>, JsonHttpResult<HealthWithoutDatabase>>> (HealthCheckService health, ConnectionGate connections, ScanHistoryQuota scanHistory, JournalStore journal, DeadLetterStore deadLetters, IngestionMetrics metrics, IngestionPipeline pipeline, LedgerSink ledgerSink, LedgerStatus ledgerStatus, ILedgerEngine ledger, Leadership leadership, ProvenanceDatabase database, ReadReplica replica, IServiceProvider services, CancellationToken cancellationToken) =>
            {
                var ready = ReadinessAnswer.From(await health.CheckHealthAsync(r => r.Tags.Contains(ReadinessRegistration.Tag), cancellationToken).ConfigureAwait(false));
                var storage = new StorageHealth(database.Provider == StorageProvider.Postgres ? "postgres" : "sqlite", leadership.Snapshot().ToDictionary(w => w.Key, w => w.Value.ToString().ToLowerInvariant(), StringComparer.Ordinal),
                    replica.Configured ? replica.Status() : null);
                try
                {
                    return TypedResults.Ok(new HealthDetails(
                        ready.Status,
                        ready.Checks,
                        new JournalHealth(journal.Head(), Lags(journal, ledger, services)),
                        new IngestionHealth(metrics.MessagesTotal, metrics.SealsTotal, metrics.FixesTotal, metrics.DuplicatesTotal, pipeline.PendingCount),
                        LedgerDetails.From(ledgerStatus.Snapshot(), ledgerSink.Retries),
                        deadLetters.CountByReason(),
                        deadLetters.QuotaStatus(),
                        services.GetService<EmbeddedBroker>() is { } broker ? new BrokerHealth(broker.OpenConnections, broker.RefusedConnections) : null,
                        new HttpHealth(connections.PublicOpen, connections.PublicLimit, connections.FileLimit),
                        scanHistory.Status,
                        storage));
                }
                catch (Exception e) when (StorageErrors.IsUnavailable(e))
                {
                    // The figures the database holds are unknown while it is down; what this process knows (which check
                    // fails and why, which work it has stopped leading) is what an operator needs then.
                    return TypedResults.Json(new HealthWithoutDatabase(ready.Status, ready.Checks, storage), statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            })
            .RequireAuthorization(ApiPolicies.Management)
            .WithName("Health").WithSummary("Details: readiness checks, journal head and sink lag (ledger, time series, EPCIS projection), ingestion totals (kept across restarts), dead letters by reason, the storage provider, which sinks this instance leads, and the read replica's state and lag; 503 with the checks and the storage section alone while the database is unavailable.");
    }

    private static Dictionary<string, long> Lags(JournalStore journal, ILedgerEngine engine, IServiceProvider services)
    {
        var lags = new Dictionary<string, long> { [engine.CursorName] = journal.Lag(engine.CursorName) };
        if (services.GetService<TimeSeriesSink>() is not null)
        {
            lags[TimeSeriesSink.SinkName] = journal.Lag(TimeSeriesSink.SinkName);
        }

        if (services.GetService<EpcisEventStore>() is not null)
        {
            lags[EpcisEventStore.SinkName] = journal.Lag(EpcisEventStore.SinkName);
        }

        return lags;
    }
}

internal sealed record HealthStatusAnswer(string Status);

/// <summary>The readiness answer: <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>, and each check's status and reason.</summary>
internal sealed record ReadinessAnswer(string Status, IReadOnlyDictionary<string, CheckAnswer> Checks)
{
    public static ReadinessAnswer From(HealthReport report) => new(
        Name(report.Status),
        report.Entries.ToDictionary(e => e.Key, e => new CheckAnswer(Name(e.Value.Status), e.Value.Description ?? e.Value.Exception?.Message)));

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

internal sealed record CheckAnswer(string Status, string? Description);

internal sealed record HealthDetails(string Status, IReadOnlyDictionary<string, CheckAnswer> Checks, JournalHealth Journal, IngestionHealth Ingestion, LedgerDetails Ledger, IReadOnlyDictionary<string, long> DeadLetters,
    DeadLetterQuotaStatus DeadLetterStore, BrokerHealth? Broker, HttpHealth Http, ScanHistoryStatus ScanHistory, StorageHealth Storage);

/// <summary><c>/health</c> while the database is unavailable: the readiness checks, which work this instance still leads, and the replica's state.</summary>
internal sealed record HealthWithoutDatabase(string Status, IReadOnlyDictionary<string, CheckAnswer> Checks, StorageHealth Storage);

/// <summary>Which database holds the state, and for each sink or dispatcher whether this instance runs it (<c>leading</c>) or stands by.</summary>
internal sealed record StorageHealth(string Provider, IReadOnlyDictionary<string, string> Work, ReplicaStatus? Replica);

internal sealed record BrokerHealth(int Connections, long Refused);

internal sealed record HttpHealth(int OpenConnections, int ConnectionLimit, long? FileLimit);

internal sealed record JournalHealth(long Head, IReadOnlyDictionary<string, long> Lag);

internal sealed record IngestionHealth(long Messages, long Seals, long Fixes, long Duplicates, int Unacknowledged);

/// <summary>The ledger engine: its state (<c>ok</c>, <c>degraded</c>, <c>failed</c>), why, and when it last made progress.</summary>
internal sealed record LedgerDetails(string Engine, string State, string? Reason, string? Code, DateTimeOffset? LastProgressAt, long Retries)
{
    public static LedgerDetails From(LedgerHealth health, long retries) =>
        new(health.Engine, health.StateName, health.Reason, health.Code, health.LastProgressAt, retries);
}
