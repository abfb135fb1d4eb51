using System.Net;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>The decision <see cref="InfluxWriter"/> takes per HTTP status. Thread-safe (stateless).</summary>
public static class InfluxResponsePolicy
{
    /// <summary>Maps an HTTP status of a write to what the writer does next.</summary>
    public static WriteDecision Decide(HttpStatusCode statusCode) => (int)statusCode switch
    {
        >= 200 and < 300 => WriteDecision.Done,
        413 => WriteDecision.SplitBatch,
        400 or 422 => WriteDecision.RejectBadLines,
        401 or 403 => WriteDecision.StopUnauthorized,
        429 or 503 => WriteDecision.RetryAfter,
        >= 500 => WriteDecision.BackOff,
        _ => WriteDecision.StopMisconfigured,
    };

    /// <summary>True when sending the same request again later can succeed (429, 5xx).</summary>
    public static bool IsTransient(HttpStatusCode statusCode) =>
        Decide(statusCode) is WriteDecision.RetryAfter or WriteDecision.BackOff;

    /// <summary>True for failures that happen before an HTTP answer and are worth retrying: network errors and request timeouts.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or TimeoutException or IOException;
}
