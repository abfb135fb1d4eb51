namespace Provenance.Ingestion.Sinks;

/// <summary>
/// How a sink's last attempts went, for readiness: when it last wrote, and — while it is failing — since when and why.
/// Thread-safe.
/// </summary>
public sealed class SinkStatus(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _failingSince;
    private string? _lastError;

    /// <summary>When the sink last wrote (or found nothing to write), if ever.</summary>
    public DateTimeOffset? LastSuccess { get { lock (_gate) { return _lastSuccess; } } }

    /// <summary>The first failure of the current run of failures; null while the sink works.</summary>
    public DateTimeOffset? FailingSince { get { lock (_gate) { return _failingSince; } } }

    /// <summary>Why the last attempt failed; null while the sink works.</summary>
    public string? LastError { get { lock (_gate) { return _lastError; } } }

    public void Succeeded()
    {
        lock (_gate)
        {
            _lastSuccess = time.GetUtcNow();
            _failingSince = null;
            _lastError = null;
        }
    }

    /// <summary>
    /// Forgets the current run of failures, when the sink starts or stops running in this process (it leads the sink
    /// again, or another process does): a failure from an earlier run says nothing about the next one.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            _failingSince = null;
            _lastError = null;
        }
    }

    public void Failed(string reason)
    {
        lock (_gate)
        {
            _failingSince ??= time.GetUtcNow();
            _lastError = reason;
        }
    }
}
