using System.Diagnostics.Metrics;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// The ledger sink's view of its engine: progress and failures as they happen, read as a <see cref="LedgerHealth"/>
/// by readiness and <c>/health</c>. Failures are counted on meter <c>Provenance.Ingestion</c> as
/// <c>provenance.ledger.failures</c> (by engine and reason code), the state as gauge <c>provenance.ledger.health</c>
/// (0 ok, 1 degraded, 2 failed). Thread-safe.
/// </summary>
public sealed class LedgerStatus
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _stallLimit;
    private readonly Counter<long> _failures;
    private DateTimeOffset? _lastProgressAt;
    private DateTimeOffset? _failingSince;
    private string? _reason;
    private string? _code;
    private bool _permanent;
    private long _failureCount;

    public LedgerStatus(string engine, Meter meter, TimeSpan stallLimit, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(meter);
        Engine = engine;
        _stallLimit = stallLimit;
        _time = time ?? TimeProvider.System;
        _failures = meter.CreateCounter<long>("provenance.ledger.failures", "{failure}", "Ledger engine attempts that failed, by engine and reason code");
        meter.CreateObservableGauge(
            "provenance.ledger.health",
            () => new Measurement<int>((int)Snapshot().State, new KeyValuePair<string, object?>("engine", Engine)),
            description: "Ledger engine health: 0 ok, 1 degraded (retrying), 2 failed (readiness fails)");
    }

    /// <summary>The engine's name.</summary>
    public string Engine { get; }

    /// <summary>The engine recorded something, or had nothing to record.</summary>
    public void Progressed()
    {
        lock (_lock)
        {
            _lastProgressAt = _time.GetUtcNow();
            _failingSince = null;
            _reason = null;
            _code = null;
            _permanent = false;
        }
    }

    /// <summary>
    /// Forgets the current failure (the state becomes ok; the failure count and the last progress stay), when the
    /// ledger sink starts or stops running in this process: an engine that does not run here has no state of its own,
    /// and one that runs again starts afresh.
    /// </summary>
    public void Reset()
    {
        lock (_lock)
        {
            _failingSince = null;
            _reason = null;
            _code = null;
            _permanent = false;
        }
    }

    /// <summary>An attempt failed; <see cref="LedgerUnavailableException"/> marks a permanent failure.</summary>
    public void Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var permanent = exception as LedgerUnavailableException;
        var code = permanent?.Code ?? "transient";
        lock (_lock)
        {
            _failingSince ??= _time.GetUtcNow();
            _reason = exception.Message;
            _code = code;
            _permanent = permanent is not null;
            _failureCount++;
        }

        _failures.Add(1, new KeyValuePair<string, object?>("engine", Engine), new KeyValuePair<string, object?>("reason", code));
    }

    /// <summary>The current health.</summary>
    public LedgerHealth Snapshot()
    {
        lock (_lock)
        {
            if (_failingSince is not { } since)
            {
                return new LedgerHealth(Engine, LedgerHealthState.Ok, null, null, _lastProgressAt, _failureCount);
            }

            if (_permanent)
            {
                return new LedgerHealth(Engine, LedgerHealthState.Failed, _reason, _code, _lastProgressAt, _failureCount);
            }

            var stalledFor = _time.GetUtcNow() - since;
            return stalledFor > _stallLimit
                ? new LedgerHealth(Engine, LedgerHealthState.Failed, $"no progress for {stalledFor.TotalSeconds:F0} s; last failure: {_reason}", "stalled", _lastProgressAt, _failureCount)
                : new LedgerHealth(Engine, LedgerHealthState.Degraded, _reason, _code, _lastProgressAt, _failureCount);
        }
    }
}
