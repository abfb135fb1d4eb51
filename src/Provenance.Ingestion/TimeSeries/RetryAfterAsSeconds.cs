using System.Net.Http.Headers;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// Rewrites an HTTP-date <c>Retry-After</c> (RFC 9110 allows it; proxies and load balancers send it) into delta
/// seconds before InfluxDB.Client reads the answer: the client parses the header with <c>Convert.ToInt32</c> and
/// would throw a <see cref="FormatException"/> that hides the status.
/// </summary>
internal sealed class RetryAfterAsSeconds(TimeProvider time) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Headers.RetryAfter is { Date: { } date })
        {
            var seconds = Math.Max(0, Math.Ceiling((date - time.GetUtcNow()).TotalSeconds));
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        return response;
    }
}
