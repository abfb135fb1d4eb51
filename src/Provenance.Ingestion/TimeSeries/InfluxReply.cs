using System.Net.Http.Headers;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>InfluxDB's answer to one write: the HTTP status, its message (for anything but 2xx) and its <c>Retry-After</c>.</summary>
internal readonly record struct InfluxReply(int StatusCode, string Message, RetryConditionHeaderValue? RetryAfter);
