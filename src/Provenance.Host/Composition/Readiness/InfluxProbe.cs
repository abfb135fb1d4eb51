using System.Net;

namespace Provenance.Host.Composition.Readiness;

/// <summary>
/// Whether InfluxDB answers at all: <c>GET /ping</c> (no credentials needed, 204 from 1.x and 2.x), remembered for two
/// seconds so that frequent probes do not hammer the server. Null when it answers, else what went wrong. Thread-safe.
/// </summary>
internal sealed class InfluxProbe(Uri url, ReadinessOptions options, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Remember = TimeSpan.FromSeconds(2);
    private readonly HttpClient _http = new() { Timeout = options.ProbeTimeout };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, string? Problem)? _last;

    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < Remember)
            {
                return last.Problem;
            }

            var problem = await PingAsync(cancellationToken).ConfigureAwait(false);
            _last = (time.GetUtcNow(), problem);
            return problem;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }

    private async Task<string?> PingAsync(CancellationToken cancellationToken)
    {
        var ping = new Uri(url, "ping");
        try
        {
            using var response = await _http.GetAsync(ping, cancellationToken).ConfigureAwait(false);
            return response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK
                ? null
                : $"InfluxDB {url} answers /ping with HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return $"InfluxDB {url} unreachable: {e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"InfluxDB {url} did not answer /ping within {options.ProbeTimeout.TotalSeconds:0.#} s";
        }
    }
}
