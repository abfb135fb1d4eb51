using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Provenance.Ingestion.Sinks;
using Provenance.Storage;
using Provenance.Storage.Journal;

namespace Provenance.Host.Composition.Readiness;

/// <summary>
/// Readiness of one journal sink: unhealthy when it has been failing for longer than
/// <see cref="ReadinessOptions.SinkFailureGrace"/> (the reason is its last error), when it is more than
/// <see cref="ReadinessOptions.MaxSinkLag"/> entries or <see cref="ReadinessOptions.MaxSinkDelay"/> behind, or when its
/// <paramref name="probe"/> (the server's reachability) fails; degraded while a failure is younger than the grace.
/// In a process that does not lead the sink (another process runs it: standby; or which one does is not known yet:
/// electing, for the moment between start-up or a lost lock and the next answer, or while the database is down, which
/// the database check reports) only the lag and the probe count, and the check says which of the two it is.
/// </summary>
internal sealed class SinkReadiness(
    string sink,
    SinkStatus status,
    JournalStore journal,
    ReadinessOptions options,
    TimeProvider time,
    Func<CancellationToken, Task<string?>>? probe = null) : IHealthCheck
{
    /// <summary>Where this process stands on the sink now; leading when unset.</summary>
    public Func<LeaderState>? Leader { get; init; }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CheckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageErrors.IsUnavailable(e))
        {
            // The database check names the outage too; a sink cannot make progress without its journal.
            return HealthCheckResult.Unhealthy($"cannot read its journal position: the database is unavailable ({e.Message})");
        }
    }

    private async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lag = journal.Lag(sink);
        var oldest = lag == 0 ? [] : journal.ReadAfter(journal.Cursor(sink), 1);
        var delay = oldest.Count == 0 ? TimeSpan.Zero : now - oldest[0].CreatedAt;
        var behind = lag == 0 ? "up to date" : string.Create(CultureInfo.InvariantCulture, $"{lag:N0} journal entries waiting, oldest {delay.TotalSeconds:0} s");
        var data = new Dictionary<string, object>
        {
            ["lag"] = lag,
            ["delaySeconds"] = Math.Round(delay.TotalSeconds, 1),
        };

        var unreachable = probe is null ? null : await probe(cancellationToken).ConfigureAwait(false);
        if (unreachable is not null)
        {
            return HealthCheckResult.Unhealthy($"{unreachable}; {behind}", data: data);
        }

        var leader = Leader?.Invoke() ?? LeaderState.Leading;
        if (leader != LeaderState.Leading)
        {
            behind = Describe(leader) + "; " + behind;
        }
        else if (status.FailingSince is { } since)
        {
            var failing = now - since;
            var message = string.Create(CultureInfo.InvariantCulture, $"failing for {failing.TotalSeconds:0} s: {status.LastError}; {behind}");
            return failing > options.SinkFailureGrace
                ? HealthCheckResult.Unhealthy(message, data: data)
                : HealthCheckResult.Degraded(message, data: data);
        }

        if (lag > options.MaxSinkLag || delay > options.MaxSinkDelay)
        {
            return HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture, $"too far behind: {behind} (limits {options.MaxSinkLag:N0} entries, {options.MaxSinkDelay.TotalSeconds:0} s: Health:MaxSinkLag, Health:MaxSinkDelay)"), data: data);
        }

        return HealthCheckResult.Healthy(behind, data);
    }

    /// <summary>What a process that does not lead a sink says about it (<paramref name="what"/>: <c>this sink</c>, <c>the ledger sink</c>).</summary>
    internal static string Describe(LeaderState state, string what = "this sink") => state == LeaderState.Standby
        ? $"standby (another process runs {what})"
        : $"electing (whether this process runs {what} is not known yet)";
}
