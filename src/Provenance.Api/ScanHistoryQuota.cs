using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provenance.Storage;

namespace Provenance.Api;

/// <summary>
/// Keeps the scan history within <see cref="ScanHistoryOptions.MaxScans"/>: checks every
/// <see cref="ScanHistoryOptions.CheckInterval"/>, prunes the oldest scans when over, counts what it pruned
/// (<c>provenance.scans.pruned</c>), exposes the figures as gauges and as <see cref="Status"/> for health reports
/// (<c>near</c> once the history reaches <see cref="ScanHistoryOptions.WarnAtFraction"/> of the quota, which is
/// when old clone evidence starts to be given up). Thread-safe.
/// </summary>
public sealed partial class ScanHistoryQuota : BackgroundService
{
    private readonly ScanStore _scans;
    private readonly ScanHistoryOptions _options;
    private readonly ApiMetrics _metrics;
    private readonly ILogger<ScanHistoryQuota> _logger;
    private readonly TimeProvider _time;
    private long _stored;
    private long _pruned;

    public ScanHistoryQuota(ScanStore scans, IOptions<ScanHistoryOptions> options, ApiMetrics metrics, ILogger<ScanHistoryQuota> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _scans = scans;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        metrics.Meter.CreateObservableGauge("provenance.scans.stored", () => Interlocked.Read(ref _stored), "{scan}", "Scans in the history (as of the last quota check)");
        metrics.Meter.CreateObservableGauge("provenance.scans.quota", () => _options.MaxScans, "{scan}", "Most scans the history keeps before pruning the oldest");
    }

    /// <summary>The figures as of the last check.</summary>
    public ScanHistoryStatus Status
    {
        get
        {
            var stored = Interlocked.Read(ref _stored);
            var state = stored >= _options.MaxScans * _options.WarnAtFraction ? "near" : "ok";
            return new ScanHistoryStatus(state, stored, _options.MaxScans, Interlocked.Read(ref _pruned));
        }
    }

    /// <summary>One check: counts, prunes when over the quota; returns how many scans were removed.</summary>
    public long Check()
    {
        var stored = _scans.StoredCount();
        var removed = 0L;
        if (stored > _options.MaxScans)
        {
            removed = _scans.PruneOldest((long)(_options.MaxScans * _options.PruneToFraction));
            Interlocked.Add(ref _pruned, removed);
            _metrics.ScansPruned(removed);
            LogPruned(removed, stored, _options.MaxScans);
            stored = _scans.StoredCount();
        }

        Interlocked.Exchange(ref _stored, stored);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CheckInterval, _time);
        try
        {
            do
            {
                try
                {
                    Check();
                }
                catch (System.Data.Common.DbException e)
                {
                    LogCheckFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (or disposed after a failed start): nothing to finish.
        }
    }

    [LoggerMessage(EventId = 7020, Level = LogLevel.Warning, Message = "Scan history over its quota: pruned the {Removed} oldest scans ({Stored} stored, quota {Quota}; ScanHistory:MaxScans)")]
    private partial void LogPruned(long removed, long stored, long quota);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Error, Message = "Could not check the scan history quota")]
    private partial void LogCheckFailed(Exception exception);
}

/// <summary>The scan history against its quota: <c>ok</c> or <c>near</c>, scans stored, the quota, scans pruned since start.</summary>
public sealed record ScanHistoryStatus(string State, long Stored, long Quota, long Pruned);
