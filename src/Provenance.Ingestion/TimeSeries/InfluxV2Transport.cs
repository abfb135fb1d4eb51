using System.Net.Http.Headers;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;

namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// InfluxDB 2.x/3.x writes through the vendor's client, InfluxDB.Client (<see cref="WriteApiAsync"/>: org, bucket,
/// token, nanosecond precision, gzip). The client does not retry; its exceptions are turned back into the answer
/// (status, message, <c>Retry-After</c>) so that <see cref="InfluxWriter"/> keeps its per-status decisions.
/// </summary>
internal sealed class InfluxV2Transport : IInfluxTransport
{
    private readonly InfluxDBClient client;
    private readonly WriteApiAsync writes;
    private readonly string bucket;
    private readonly string org;

    public InfluxV2Transport(InfluxOptions options, TimeProvider time)
    {
        bucket = options.Bucket!;
        org = options.Org!;
        var settings = new InfluxDBClientOptions(options.Url!.AbsoluteUri)
        {
            Token = options.Token,
            Org = org,
            Bucket = bucket,
            // InfluxWriter cancels each request after InfluxOptions.Timeout itself; the client's own limit stays out of the way.
            Timeout = options.Timeout + TimeSpan.FromSeconds(5),
            AllowHttpRedirects = false,
            HttpClient = new HttpClient(new RetryAfterAsSeconds(time)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan },
        };

        client = new InfluxDBClient(settings);
        if (options.Gzip)
        {
            client.EnableGzip();
        }

        writes = client.GetWriteApiAsync();
        var baseUri = options.Url.AbsoluteUri.EndsWith('/') ? options.Url : new Uri(options.Url.AbsoluteUri + "/");
        Target = $"{baseUri.Authority} bucket '{bucket}'";
    }

    public string Target { get; }

    public async Task<InfluxReply> SendAsync(IReadOnlyList<string> lines, IReadOnlyList<int> positions, CancellationToken cancellationToken)
    {
        try
        {
            await writes.WriteRecordsAsync(positions.Select(p => lines[p]).ToArray(), WritePrecision.Ns, bucket, org, cancellationToken).ConfigureAwait(false);
            return new InfluxReply(204, string.Empty, null);
        }
        catch (HttpException e) when (e.Status == 0)
        {
            // No HTTP answer at all: a network failure, retried like one.
            throw new HttpRequestException(e.InnerException?.Message ?? e.Message, e);
        }
        catch (HttpException e)
        {
            return new InfluxReply(e.Status, Message(e), RetryAfter(e));
        }
    }

    public void Dispose() => client.Dispose();

    private static string Message(HttpException e) =>
        string.IsNullOrWhiteSpace(e.Message) ? $"HTTP {e.Status} without a message" : InfluxErrorBody.Message(e.Message, null, e.Status);

    private static RetryConditionHeaderValue? RetryAfter(HttpException e)
    {
        var header = e.Headers?.FirstOrDefault(h => string.Equals(h.Name, "Retry-After", StringComparison.OrdinalIgnoreCase))?.Value?.ToString();
        return RetryConditionHeaderValue.TryParse(header, out var parsed) ? parsed : null;
    }
}
