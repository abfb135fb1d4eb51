namespace Provenance.Ingestion.TimeSeries;

/// <summary>The answer to one request (and, after <see cref="InfluxRetry"/>, the final one after transient failures were retried).</summary>
/// <param name="Decision">What to do next.</param>
/// <param name="StatusCode">The HTTP status, or 0 when the last failure was a network error or timeout.</param>
/// <param name="Message">InfluxDB's message (or the network failure) for anything but 2xx.</param>
/// <param name="RetryAfter">The server's <c>Retry-After</c> (429/503), capped; null when absent.</param>
internal readonly record struct InfluxAnswer(WriteDecision Decision, int StatusCode, string Message, TimeSpan? RetryAfter = null);
