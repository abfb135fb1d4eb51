namespace Provenance.Ingestion.Broker.Internal;

/// <summary>Counts events and lets one log line through per interval with the count since the last, so a flood logs a few lines, not one per event. Thread-safe.</summary>
internal sealed class RateLimitedCount(TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _count;
    private long _lastLog = long.MinValue;

    /// <summary>The count to log now (including this event), or null while the interval has not passed.</summary>
    public long? Count()
    {
        lock (_gate)
        {
            _count++;
            var now = Environment.TickCount64;
            if (_lastLog != long.MinValue && now - _lastLog < interval.TotalMilliseconds)
            {
                return null;
            }

            _lastLog = now;
            var count = _count;
            _count = 0;
            return count;
        }
    }
}
