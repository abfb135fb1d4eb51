namespace Provenance.Ingestion.TimeSeries;

/// <summary>
/// InfluxDB 1.x <c>/write</c> over plain HTTP: InfluxDB.Client speaks only the 2.x API (<c>/api/v2/write</c>), which
/// 1.x servers before 1.8 do not have.
/// </summary>
internal sealed class InfluxV1Transport(InfluxOptions options) : IInfluxTransport
{
    private readonly HttpClient http = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    private readonly InfluxRequestBuilder requests = new(options);

    public string Target => requests.Target;

    public async Task<InfluxReply> SendAsync(IReadOnlyList<string> lines, IReadOnlyList<int> positions, CancellationToken cancellationToken)
    {
        using var request = requests.Create(lines, positions);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return new InfluxReply(status, string.Empty, null);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var header = response.Headers.TryGetValues("X-Influxdb-Error", out var values) ? values.FirstOrDefault() : null;
        return new InfluxReply(status, InfluxErrorBody.Message(body, header, status), response.Headers.RetryAfter);
    }

    public void Dispose() => http.Dispose();
}
