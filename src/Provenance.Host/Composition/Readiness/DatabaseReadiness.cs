using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Storage.Journal;

namespace Provenance.Host.Composition.Readiness;

/// <summary>Readiness of the database (SQLite or PostgreSQL): the journal answers a query.</summary>
internal sealed class DatabaseReadiness(JournalStore journal) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var head = journal.Head();
            return Task.FromResult(HealthCheckResult.Healthy($"journal head {head}"));
        }
        catch (System.Data.Common.DbException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"database unavailable: {e.Message}"));
        }
    }
}
