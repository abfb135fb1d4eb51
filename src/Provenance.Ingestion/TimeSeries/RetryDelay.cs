using System.Net.Http.Headers;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>Back-off and <c>Retry-After</c> arithmetic for <see cref="InfluxWriter"/>. Thread-safe.</summary>
internal static class RetryDelay
{
    /// <summary>Exponential back-off with "equal jitter": half the step fixed, half random; capped at <paramref name="max"/>.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan initial, TimeSpan max)
    {
        var step = initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        step = Math.Min(step, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((step / 2) + (Random.Shared.NextDouble() * step / 2));
    }

    /// <summary>The server's <c>Retry-After</c> (delta seconds or HTTP-date) as a delay from <paramref name="now"/>, capped at <paramref name="max"/>; null when absent.</summary>
    public static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now, TimeSpan max)
    {
        TimeSpan? delay = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => null,
        };
        if (delay is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > max ? max : value;
    }
}
