namespace Provenance.Ingestion.TimeSeries;

/// <summary>What <see cref="InfluxWriter"/> does with one HTTP answer (see <see cref="InfluxResponsePolicy"/>).</summary>
public enum WriteDecision
{
    /// <summary>2xx: the points are stored.</summary>
    Done,

    /// <summary>413: split the batch in halves and send each; a single point still too large is rejected.</summary>
    SplitBatch,

    /// <summary>400/422: InfluxDB stored the valid lines; find the bad ones and dead-letter them.</summary>
    RejectBadLines,

    /// <summary>401/403: stop, keep every point, report that credentials need fixing.</summary>
    StopUnauthorized,

    /// <summary>429/503: wait for <c>Retry-After</c> (or back off) and send again.</summary>
    RetryAfter,

    /// <summary>Other 5xx and network errors: exponential back-off with jitter, then send again.</summary>
    BackOff,

    /// <summary>Other 4xx (e.g. 404 database not found): a configuration problem; stop and keep every point.</summary>
    StopMisconfigured,
}
